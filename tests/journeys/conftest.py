import pytest

from tests.journeys.visitor import DESKTOP, Visitor


@pytest.fixture
def visitor(browser, live_server):
    """Makes one `Visitor` per person; fails the test on an unchecked page or a console
    error of any of them."""
    visitors = []

    def make(viewport=DESKTOP, **options):
        person = Visitor(browser, live_server.url, viewport=viewport, **options)
        visitors.append(person)
        return person

    yield make
    problems = [problem for person in visitors for problem in person.problems()]
    for person in visitors:
        person.close()
    if problems:
        pytest.fail("\n".join(problems))
