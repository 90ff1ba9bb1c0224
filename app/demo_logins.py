"""Print the demo logins again (used by `make run` after the first start)."""

from app import create_app
from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


def main() -> None:
    create_app()  # validates configuration the same way the server will
    print(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for username, role, unit, _name in DEMO_ACCOUNTS:
        print(f"  {username:<16} {role:<12} {unit}")


if __name__ == "__main__":
    main()
