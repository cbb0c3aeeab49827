"""Pages other apps add to the partner portal's tabs, without the trade app importing them.

The OCTO app (API keys, webhooks) registers its pages here in its AppConfig.ready(), as operators'
channels register with operators.channels: the portal's template lists them (templatetags/trade_portal.py)
and trade never imports octo (DESIGN.md: octo reads trade, not the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PortalSection:
    """A tab: `url_name` (a namespaced URL name without arguments); pages whose view name starts with it
    mark the tab active; `admin_only` tabs are shown to the partner's administrators only (their views
    refuse others too: hiding a link is not a permission)."""

    label: str
    url_name: str
    admin_only: bool = False
    description: str = ""


_SECTIONS: list[PortalSection] = []


def register_portal_section(section: PortalSection) -> None:
    if all(s.url_name != section.url_name for s in _SECTIONS):
        _SECTIONS.append(section)


def portal_sections(*, is_admin: bool) -> list[PortalSection]:
    return [s for s in _SECTIONS if is_admin or not s.admin_only]
