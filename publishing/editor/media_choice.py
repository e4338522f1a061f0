"""Any media item of the library chosen by the people who plan shares (issue 20:
"any video of the library can be chosen"), read-only.

wagtailmedia lists in its chooser, and lets `media_chosen` return, only the media a
person may change or delete: their own uploads. For a person who may plan shares
(an editor of a unit, or above), `chooser_queryset` (the chooser's
`construct_media_chooser_queryset` hook) lists every media item and `media_chosen`
(registered before wagtailmedia's, on its address) returns any of them; anyone
else gets wagtailmedia's own answer. Editing stays wagtailmedia's: its edit and
delete views still refuse a colleague's media.
"""

from django.shortcuts import get_object_or_404
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtailmedia import get_media_model
from wagtailmedia.views import chooser

from publishing.permissions import unit_ids_for


def may_choose_any(user):
    """May `user` choose any media item (they plan shares on some unit)?"""
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or bool(unit_ids_for(user, "plan"))


def chooser_queryset(media_files, request):
    """Every media item for a person who plans shares; else as wagtailmedia chose."""
    if may_choose_any(request.user):
        return get_media_model().objects.all()
    return media_files


def media_chosen(request, media_id):
    """The chosen media item handed to the chooser (checked on the server)."""
    if not may_choose_any(request.user):
        return chooser.media_chosen(request, media_id)
    media = get_object_or_404(get_media_model(), id=media_id)
    return render_modal_workflow(
        request,
        None,
        None,
        None,
        json_data={"step": "media_chosen", "result": chooser.get_media_json(media)},
    )
