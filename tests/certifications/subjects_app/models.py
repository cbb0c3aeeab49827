from django.conf import settings
from django.db import models


class Operator(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    def __str__(self):
        return self.name


class Service(models.Model):
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Package(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Component(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="components")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.package}: {self.service}"
