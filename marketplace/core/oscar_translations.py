"""Customer-facing strings of Oscar's that Oscar's own Italian or German catalogue leaves empty (its French is
complete): our catalogues (locale/<lang>/) fill them, and win over Oscar's.

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
    # Left empty by Oscar's German (and some by its Italian): wish lists and product alerts.
    gettext_noop(
        "%s has been sent a confirmation email for another product alert on this site. Please confirm or cancel that request before signing up for more alerts."
    ),
    gettext_noop("The shared accounts won't be able to access your wishlist because the visiblity is set to private."),
    gettext_noop(
        "You have added shared accounts to your wishlist but the visiblity is public, this means everyone with a link has access to it."
    ),
    gettext_noop(
        "\n                Beware that the amount of items in stock is limited. Be quick or someone might get there first.\n            "
    ),
    gettext_noop(
        "\n            With this email we have disabled your alert automatically and you will not\n            receive any further email regarding this product.\n        "
    ),
    gettext_noop(
        "\n        Hello,\n        <p>\n            Somebody (hopefully you) has requested an email alert when '%(title)s' is back in stock.\n            Please click the following link to confirm: %(confirm_url)s\n        </p>\n        <p>\n            You can cancel this alert at any time by clicking the following link: %(cancel_url)s\n        </p>\n\n        <p>\n            Thanks for your interest,\n            The %(site)s Team\n        </p>\n    "
    ),
    gettext_noop(
        "If you want to share your wishlist with others, you can add their email addresses below. The visibility must be set to shared in order for this to work."
    ),
]
