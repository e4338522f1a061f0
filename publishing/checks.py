"""System checks: the networks and their options, the encryption key.

Ids: E001 a network's BACKEND cannot be used; E002 the encryption key; E010 a
required option is missing, E011 an option is unknown, E012 an option has a wrong
type; E013 a network class lacks a capability or a method of the contract.
"""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from publishing.conf import setting


@checks.register()
def check_networks(app_configs, **kwargs):
    from publishing.networks import configured_options, network_class

    errors = []
    for name in setting("PUBLISHING_NETWORKS"):
        try:
            cls = network_class(name)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="publishing.E001"))
            continue
        where = f"PUBLISHING_NETWORKS[{name!r}]"
        for problem in cls.capability_problems():
            errors.append(checks.Error(f"{where}: {problem}.", id="publishing.E013"))
        for check_id, problem in cls.option_problems(configured_options(name)):
            errors.append(checks.Error(f"{where}['OPTIONS']: {problem}.", id=check_id))
    return errors


@checks.register()
def check_encryption_key(app_configs, **kwargs):
    from publishing.crypto import _fernet

    try:
        _fernet()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="publishing.E002")]
    return []
