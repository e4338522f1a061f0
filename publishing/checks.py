"""System checks: the network registry and the encryption key are usable."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from publishing.conf import setting


@checks.register()
def check_networks(app_configs, **kwargs):
    from publishing.networks import network_class

    errors = []
    for name in setting("PUBLISHING_NETWORKS"):
        try:
            network_class(name)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="publishing.E001"))
    return errors


@checks.register()
def check_encryption_key(app_configs, **kwargs):
    from publishing.crypto import _fernet

    try:
        _fernet()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="publishing.E002")]
    return []
