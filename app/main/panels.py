"""Home-page panels: each feature registers what a role sees first."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    roles: tuple[str, ...]
    order: int
    # Returns (template name, context) for the current user, or None to show nothing.
    build: Callable[[object], tuple[str, dict] | None]


_PANELS: list[Panel] = []


def register_panel(roles: tuple[str, ...], order: int = 50):
    """Decorator: add a panel builder to the home page of users with one of roles."""

    def decorator(build):
        _PANELS.append(Panel(tuple(roles), order, build))
        return build

    return decorator


def panels_for(user) -> list[tuple[str, dict]]:
    """Render-ready panels for user, in order."""
    out = []
    for panel in sorted(_PANELS, key=lambda p: p.order):
        if user.role in panel.roles:
            built = panel.build(user)
            if built is not None:
                out.append(built)
    return out
