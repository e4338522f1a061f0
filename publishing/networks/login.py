"""The contract every network's login flow keeps (`BaseNetwork.login`).

Connecting a channel goes the same way on every network: send the person to the
network (`start`), take its answer at our callback (`finish`), let the person pick
which accounts (Pages, OAs) become channels of which unit. The views in
`publishing.channels.views.connect` drive it for any network; what is particular
to one network lives in its own `login.py`.
"""

import abc
import dataclasses


class LoginError(Exception):
    """The login could not finish; `message` tells the person why and what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclasses.dataclass
class Account:
    """A Page or an OA the person may connect, with its credentials."""

    id: str
    name: str
    credentials: dict


class BaseLogin(abc.ABC):
    """One network's login flow, built with that network's resolved options."""

    picks_one = False
    """The login yields one account (Zalo's OA): the person only picks its unit."""

    def __init__(self, network, options):
        self.network = network
        self.label = network.label
        self.options = options

    def begin(self):
        """Secrets the flow keeps in the session until the callback (PKCE)."""
        return {}

    @abc.abstractmethod
    def start(self, callback_url, state, flow):
        """The network's address where the person grants access; `flow` is what
        `begin` returned."""

    def denied(self, params):
        """Did the person refuse (the callback's query `params`)?"""
        return bool(params.get("error"))

    @abc.abstractmethod
    def finish(self, params, callback_url, flow):
        """[Account] from the callback's query `params`; LoginError otherwise."""

    @abc.abstractmethod
    def credentials_from_token(self, token):
        """Credentials from a token an administrator pasted; LoginError."""
