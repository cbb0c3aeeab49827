"""Italian for the customer-facing strings of Oscar's templates that Oscar's own Italian catalogue leaves empty.

Marked with gettext_noop so that makemessages puts them in locale/ (the site catalogue, which wins over
Oscar's); each msgid must match Oscar's template byte for byte, whitespace included, or it is never used.
"""

from django.utils.translation import gettext_noop

OSCAR_TEMPLATE_MSGIDS = [
    gettext_noop("\n        Your basket total is now <strong>%(total)s</strong>\n        "),
    gettext_noop(
        "\n                                        Add to '%(name)s' wish list\n                                    "
    ),
    gettext_noop(
        '\n                    <span class="float-left">Product is in <a href="%(url)s">\'%(name)s\'</a> wishlist.</span>\n                '
    ),
    gettext_noop("Previous"),
    gettext_noop("Next"),
    gettext_noop("Reset password"),
    gettext_noop(
        'You can view the status of this order by clicking <a href="%(absolute_status_url)s" title="order status">here</a>'
    ),
    gettext_noop("You can view the status of this order at the below URL:\n%(absolute_status_url)s"),
    gettext_noop("Share wishlist"),
    gettext_noop("Copy sharing link"),
    gettext_noop("\n                        Page %(page_num)s of %(total_pages)s\n                    "),
    gettext_noop("\n                        Total: %(total)s\n                    "),
    gettext_noop("This wish list is empty."),
]
