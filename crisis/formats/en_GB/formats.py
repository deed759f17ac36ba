from crisis.formats.en.formats import *  # noqa: F403 (the same ISO formats)
