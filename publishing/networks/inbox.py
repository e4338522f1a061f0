"""What the networks hand the inbox: people's comments and messages, in one shape.

Only what answering needs (Decree 13/2023): the name as shown, the text, the time;
never a phone, an avatar or a profile link. `author_id` is only compared (a Page's
own replies are not questions) or, for Zalo, answered to; comments never store it.
"""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class Incoming:
    external_id: str
    text: str
    received_at: datetime.datetime
    author_name: str = ""
    author_id: str = ""
    parent_id: str = ""


@dataclasses.dataclass
class PostComments:
    """A post's comments read, newest first, and its count (`total`)."""

    comments: list = dataclasses.field(default_factory=list)
    total: int = 0
    removed: bool = False
