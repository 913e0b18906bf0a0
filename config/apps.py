from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    """django.contrib.admin with the read-logged site (config/admin_site.py)."""

    default_site = "config.admin_site.AuditedAdminSite"
