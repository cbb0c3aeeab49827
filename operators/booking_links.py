"""Where a tourist books a service: a small registry the shop fills (DESIGN.md: operators reads no
other app; an app may register itself with a host's registry).

The packages app sells a service alone as an automatic one-component package and registers
`packages.services.single_service_book_links` here from its ready(). The operators' public pages ask
`book_links(service_ids)` for the "Book" button of each service; without a provider (a site without
the shop) there is no button and the pages still work.

Public API:
    register_book_link_provider(provider)   provider(*, service_ids) -> {service id: url}
    book_links(*, service_ids) -> dict[int, str]
"""

from collections.abc import Callable, Iterable

_providers: list[Callable[..., dict[int, str]]] = []


def register_book_link_provider(provider: Callable[..., dict[int, str]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def book_links(*, service_ids: Iterable[int]) -> dict[int, str]:
    """{service id: booking page} for the given services that can be booked now (first provider wins)."""
    ids = list(service_ids)
    links: dict[int, str] = {}
    for provider in _providers:
        for service_id, url in provider(service_ids=ids).items():
            links.setdefault(service_id, url)
    return links
