"""The words people see when a network call fails, shared by the adapters.

English msgids, translated to Vietnamese in `locale/vi/`. Each sentence says what
happened and what will happen next (or what a person must do). The network's own
words go to `NetworkError.detail`, never into these sentences.

`transport_error()` also lives here because it only chooses between these sentences:
a failure of the connection itself is the same problem on every network.
"""

import datetime

import requests
from django.utils.translation import gettext_lazy as _
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from publishing.networks.base import OutcomeUnknown, RetryLater

# Any network ------------------------------------------------------------------
UNREACHABLE = _(
    "%(network)s could not be reached, so nothing was sent. "
    "It will be tried again later."
)
NO_ANSWER = _("%(network)s did not answer in time. It will be tried again later.")
OUTCOME_UNKNOWN = _(
    "%(network)s did not say whether the post was made. It will be looked for on "
    "the channel before any new attempt, so it is never posted twice."
)
TEMPORARY = _("%(network)s has a temporary problem. It will be tried again later.")
RATE_LIMITED = _(
    "%(network)s asks us to slow down. The next attempt waits %(minutes)s minutes."
)

# Facebook ---------------------------------------------------------------------
FB_TOKEN_INVALID = _(
    "Facebook says the Page token has expired or was revoked: reconnect the channel."
)
FB_PERMISSION = _(
    "Facebook says a permission is missing for this Page: reconnect the channel and "
    "grant every permission asked for."
)
FB_PERMISSION_NAMED = _(
    "Facebook says the permission %(permission)s is missing for this Page: reconnect "
    "the channel and grant it."
)
FB_BAD_PARAMETER = _(
    "Facebook rejected the post as invalid (a parameter or the link). Check the text, "
    "the link and the images; it will not be retried."
)
FB_POLICY = _(
    "Facebook blocked the post for breaking its policies. A person must review it; "
    "it will not be retried."
)
FB_DUPLICATE = _(
    "Facebook says the same text was just posted. The Page will be checked before "
    "any new attempt, so it is never posted twice."
)
FB_REFUSED = _(
    "Facebook refused the request (error %(code)s). It will not be retried without "
    "a person."
)
FB_USER_TOKEN = _(
    "A user token was given instead of a Page token: reconnect the channel and "
    "choose the Page."
)
FB_OTHER_PAGE = _(
    "The token belongs to another Page (%(name)s): reconnect the channel with the "
    "right Page."
)
FB_PAGE_NOT_FOUND = _(
    "Facebook does not know the Page id %(page)s with this token: reconnect the "
    "channel."
)

# Zalo -------------------------------------------------------------------------
ZALO_TOKEN_INVALID = _(
    "Zalo says the OA's access has expired or was revoked and could not be renewed: "
    "reconnect the channel."
)
ZALO_QUOTA = _(
    "Zalo says the OA's quota is used up (or the OA may not use this feature). It "
    "will be tried again in %(minutes)s minutes; if it lasts, tell the OA's manager."
)
ZALO_NOT_VERIFIED = _(
    "Zalo says the OA must be verified to do this: ask the OA's manager to verify it."
)
ZALO_PACKAGE = _(
    "Zalo says the OA's package does not allow this: a higher package is needed."
)
ZALO_OA_TYPE = _("Zalo does not offer this feature to this type of OA.")
ZALO_OA_DISABLED = _("Zalo says the OA is disabled: it cannot post.")
ZALO_OA_MISSING = _("Zalo says the OA does not exist: check the channel.")
ZALO_BROADCAST_HOURS = _(
    "Zalo sends broadcasts only between 06:00 and 21:59. It will be sent after 06:00."
)
ZALO_BROADCAST_QUOTA = _(
    "Zalo says the OA's broadcasts for this month are used up. It waits until the "
    "quota resets on the 1st of next month; the OA's managers are told."
)
ZALO_POLICY = _(
    "Zalo says the content breaks its standards. A person must review it; it will "
    "not be retried."
)
ZALO_BAD_PARAMETER = _(
    "Zalo rejected the article as invalid (title, description, author, cover or "
    "images). Check them; it will not be retried."
)
ZALO_UPLOAD_FAILED = _(
    "Zalo could not load the article's images or video. Check that they are public "
    "and small enough (images at most 1 MB)."
)
ZALO_PROCESSING = _(
    "Zalo is still processing the article. It will be checked again later, so it is "
    "never posted twice."
)
ZALO_UNSURE_SEVERAL = _(
    "Zalo did not say whether the article was posted, and the OA has %(count)s "
    "articles with exactly this title since the attempt, linked to no other post: "
    "which one is this post cannot be told. It will not be posted again by itself. "
    "Check the OA: use “Already posted manually” with the link of the right one."
)
ZALO_UNSURE_UNDATED = _(
    "Zalo did not say whether the article was posted, and does not give the date of "
    "the OA's article with this title, so it cannot be told from an older one. It "
    "will not be posted again by itself. Check the OA: if this post is there, use "
    "“Already posted manually” with its link; if not, post it on the OA and do the "
    "same."
)
ZALO_UNSURE_TOO_MANY = _(
    "Zalo did not say whether the article was posted, and the OA has more articles "
    "since the attempt than can be checked (over %(count)s). It will not be posted "
    "again by itself. Check the OA: if this post is there, use “Already posted "
    "manually” with its link; if not, post it on the OA and do the same."
)
ZALO_REFUSED = _(
    "Zalo refused the request (error %(code)s). It will not be retried without a "
    "person."
)
ZALO_WINDOW_CLOSED = _(
    "Zalo no longer lets the OA answer this person: its window after their last "
    "message has closed. Answer when they write again, or by the hotline."
)
ZALO_OTHER_OA = _(
    "The token belongs to another OA (%(name)s): reconnect the channel with the "
    "right OA."
)

# Checks before sending ----------------------------------------------------------
TITLE_EMPTY = _("The title is empty.")
TITLE_TOO_LONG = _("The title is %(length)s characters long, at most %(max)s.")
DESCRIPTION_TOO_LONG = _(
    "The description is %(length)s characters long, at most %(max)s."
)
AUTHOR_TOO_LONG = _("The author is %(length)s characters long, at most %(max)s.")
COVER_MISSING = _("A cover image is required.")
IMAGE_URL_NOT_ENCODED = _(
    "The image address %(url)s must be a public http(s) address with no spaces or "
    "accented letters (percent-encoded)."
)
LINK_MISSING = _("A link post needs a link.")
PHOTO_ONE = _("A photo post needs exactly one image; it has %(count)s.")
PHOTOS_FEW = _(
    "A post with several photos needs at least two images; it has %(count)s."
)


def transport_error(network, error, *, write):
    """The typed error for a `requests` failure (no answer to read).

    A connection that was never made (refused, DNS, connect timeout, TLS) sent
    nothing: try again later. Anything after the request went out (read timeout,
    dropped connection) may have done it: unknown outcome for a write, a plain
    retry for a read. The exception's text holds the URL, so it is not passed on.
    """
    sent = _was_sent(error)
    if not (write and sent):
        return RetryLater(
            (NO_ANSWER if sent else UNREACHABLE) % {"network": network},
            after=datetime.timedelta(minutes=1),
            detail=type(error).__name__,
        )
    return OutcomeUnknown(
        OUTCOME_UNKNOWN % {"network": network}, detail=type(error).__name__
    )


def _was_sent(error):
    if isinstance(
        error, requests.exceptions.ConnectTimeout | requests.exceptions.SSLError
    ):
        return False
    if isinstance(error, requests.exceptions.ConnectionError):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        return not isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return True


# Videos -----------------------------------------------------------------------
VIDEO_MISSING = _(
    "There is no video to post: choose one from the media library, or give the "
    "article a featured video."
)
AUDIO_NO_PICTURE = _(
    "An audio goes out as a video with the article's cover as its picture: give "
    "the article a cover image (or the audio file a thumbnail)."
)
AUDIO_TOO_LONG = _(
    "The audio is %(length)s long; %(network)s takes videos of at most %(max)s."
)
AUDIO_TOO_BIG = _(
    "The audio is %(length)s long: its video would be about %(size)s MB (estimated "
    "at %(kbps)s kbit/s); %(network)s takes at most %(max)s MB."
)
AUDIO_NO_FFMPEG = _(
    "The audio could not be made into a video: ffmpeg is missing on the server. "
    "Ask the administrator to install it again (make install); it will not be "
    "retried."
)
AUDIO_RENDER_FAILED = _(
    "The audio could not be made into a video: %(reason)s. Check the audio file "
    "(its format) or choose another; it will not be retried."
)
VIDEO_FORMAT = _("The video is a .%(format)s file; %(network)s takes %(formats)s.")
VIDEO_TOO_BIG = _("The video is %(size)s MB; %(network)s takes at most %(max)s MB.")
VIDEO_TOO_LONG = _("The video is %(length)s long; %(network)s takes at most %(max)s.")
VIDEO_UNREADABLE = _("The video file cannot be read from the media library.")
VIDEO_REFUSED = _(
    "%(network)s refused the video file (its format, size or length): %(reason)s. "
    "Choose another video; it will not be retried."
)
VIDEO_PROCESSING = _(
    "%(network)s is still processing the video. It will be checked again shortly, "
    "never uploaded twice."
)
VIDEO_PROCESSING_FAILED = _(
    "%(network)s could not process the video: %(reason)s. Check the file (format, "
    "length) and choose another video or retry."
)
SECONDS = _("%(seconds)s seconds")
MINUTES = _("%(minutes)s minutes")
MINUTES_SECONDS = _("%(minutes)s min %(seconds)s s")
HOURS = _("%(hours)s hours")
HOURS_MINUTES = _("%(hours)s h %(minutes)s min")


def duration_text(seconds):
    """A duration as people say it: "45 giây", "12 phút", "1 giờ 5 phút"."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        if not minutes:
            return HOURS % {"hours": hours}
        return HOURS_MINUTES % {"hours": hours, "minutes": minutes}
    if not minutes:
        return SECONDS % {"seconds": seconds}
    if not seconds:
        return MINUTES % {"minutes": minutes}
    return MINUTES_SECONDS % {"minutes": minutes, "seconds": seconds}
