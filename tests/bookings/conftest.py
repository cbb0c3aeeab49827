# The shop scenario fixtures live with the payments tests; order emails need the same order.
from tests.payments.conftest import demo_mode, product, recording_handler  # noqa: F401
