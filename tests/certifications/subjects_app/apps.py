from django.apps import AppConfig


class SubjectsAppConfig(AppConfig):
    """Stand-ins for operators, services and packages, installed by the test settings only.

    Certifications must work with subjects it does not import; these models have the shape the
    real apps will have (an operator with members, its services, a package made of components),
    and their policies (policies.py) are plugged in exactly as the real apps will plug in theirs.
    """

    name = "tests.certifications.subjects_app"
    label = "certsubjects"
    default_auto_field = "django.db.models.BigAutoField"
