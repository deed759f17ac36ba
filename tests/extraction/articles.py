"""Short articles written for these tests, in the style of a wire report."""

import datetime

PUBLISHED = datetime.date(2023, 3, 14)  # a Tuesday

TALKS = (
    "Finnish Foreign Minister Aino Korhonen warned on Monday that the talks could "
    "collapse, calling the latest offer “a step backwards”.\n\n"
    "“We came to listen,” Korhonen said. “We did not come to sign anything.”\n\n"
    "“There is still time,” she said, “but not much.”\n\n"
    "In Stockholm, Swedish Prime Minister Lars Dahl's office said that "
    '"the door remains open."\n\n'
    "Norway and Denmark recently decided to send observers.\n\n"
    "Norway's foreign ministry said the delegations will meet in Oslo on Friday.\n\n"
    "Estonia joined the alliance in 2004.\n\n"
    "The Kremlin said it had “no ‘red lines’ left to draw”."
)
