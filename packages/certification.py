"""How certifications sees packages (a duck-typed policy named in settings.CERTIFICATION_SUBJECT_POLICIES;
this app imports nothing of certifications, DESIGN.md).

A package is DMC staff's own product: nobody else acts for it (the default). It is a composite subject:
it carries a scheme's label when every component's service, or that service's operator, holds a valid
award of the scheme.
"""


class PackageCertificationPolicy:
    component_paths = ("components", ["service", "service__operator"])
