"""The demo destination's people: one login per role. Other apps add their own demo steps.

Every step is idempotent: it looks rows up by a natural key before creating them, so running
`load_demo` twice leaves the database as it was after the first run.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from .roles import Role, user_grant_role


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str
    first_name: str
    last_name: str
    superuser: bool = False


# Lines a demo step wants printed after the logins (the OCTO API key and its curl command).
DEMO_FOOTER: list[str] = []

DEMO_LOGINS = [
    DemoLogin(Role.STAFF, "admin@terredilucca.example", "admin-demo", "Chiara", "Bertolucci", superuser=True),
    DemoLogin(Role.STAFF, "staff@terredilucca.example", "staff-demo", "Marco", "Pardini"),
    DemoLogin(Role.OPERATOR, "operatore@terredilucca.example", "operator-demo", "Giulia", "Lazzareschi"),
    DemoLogin(Role.PARTNER, "partner@terredilucca.example", "partner-demo", "Sophie", "Marchand"),
    # The other trade partners' users (marketplace.trade.demo says who works for whom).
    DemoLogin(Role.PARTNER, "jonas.weber@toskana-reisen.example", "partner-demo", "Jonas", "Weber"),
    DemoLogin(Role.PARTNER, "emily@tuscanytrails.example", "partner-demo", "Emily", "Carter"),
    DemoLogin(Role.PARTNER, "mark@tuscanytrails.example", "partner-demo", "Mark", "Rivera"),
    DemoLogin(Role.PARTNER, "daan@reizentoscane.example", "partner-demo", "Daan", "de Vries"),
    DemoLogin(Role.TOURIST, "turista@terredilucca.example", "tourist-demo", "Emma", "Wilson"),
]


def demo_user(email: str):
    return get_user_model().objects.get(email=email)


def load_users(stdout=None) -> None:
    User = get_user_model()
    for login in DEMO_LOGINS:
        user = User.objects.filter(email=login.email).first()
        if user is None:
            user = User(
                username=login.email.split("@")[0],
                email=login.email,
                first_name=login.first_name,
                last_name=login.last_name,
                is_superuser=login.superuser,
                is_staff=login.superuser,
            )
            user.set_password(login.password)
            user.save()
        user_grant_role(user, login.role)
