from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    label = "publishing"
    verbose_name = _("Publishing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.content.extensions import ARTICLE_FORM_VALIDATORS, SHARING_PANELS
        from cms.content.signals import demo_seeded
        from publishing.editor.panels import sharing_panels
        from publishing.editor.plans import check_share_plans

        SHARING_PANELS.extend(sharing_panels())
        ARTICLE_FORM_VALIDATORS.append(check_share_plans)

        from publishing.editor.plans import CHANNEL_DATA_EXTRAS
        from publishing.metrics.best_times import channel_data_extra

        CHANNEL_DATA_EXTRAS.append(channel_data_extra)

        from publishing import checks  # noqa: F401  (registers the system checks)
        from publishing.demo import (
            seed_channels,
            seed_follower_history,
            seed_post_history,
            seed_questions,
            seed_shares,
        )

        demo_seeded.connect(seed_channels, dispatch_uid="publishing_demo_channels")
        demo_seeded.connect(seed_shares, dispatch_uid="publishing_demo_shares")
        demo_seeded.connect(
            seed_follower_history, dispatch_uid="publishing_demo_follower_history"
        )
        demo_seeded.connect(
            seed_post_history, dispatch_uid="publishing_demo_post_history"
        )
        # After the post history: the demo's comments sit under those posts.
        demo_seeded.connect(seed_questions, dispatch_uid="publishing_demo_questions")

        from django.db.models.signals import post_delete, post_save, pre_save
        from wagtail.signals import page_published

        from publishing.models import Channel
        from publishing.outbox.dispatcher import on_channel_saved
        from publishing.planning.sharing import on_page_published

        page_published.connect(on_page_published, dispatch_uid="publishing_share_round")
        from publishing.metrics import rollups
        from publishing.signals import publications_changed

        page_published.connect(rollups.on_page_published, dispatch_uid="rollups_page")
        publications_changed.connect(
            rollups.on_publications_changed, dispatch_uid="rollups_publications"
        )
        pre_save.connect(
            rollups.on_channel_pre_save, sender=Channel, dispatch_uid="rollups_unit"
        )
        post_save.connect(
            rollups.on_channel_saved, sender=Channel, dispatch_uid="rollups_channel"
        )
        post_delete.connect(
            rollups.on_publication_deleted,
            sender="publishing.Publication",
            dispatch_uid="rollups_deleted",
        )
        post_save.connect(
            on_channel_saved, sender=Channel, dispatch_uid="publishing_release_held"
        )
        from wagtail.signals import page_unpublished

        from cms.content.models import ArticlePage
        from publishing.inbox.suggest import forget_faqs

        for signal in (page_published, page_unpublished, post_delete):
            signal.connect(forget_faqs, sender=ArticlePage, dispatch_uid="inbox_faqs")
        from publishing.models import wakeups

        wakeups.connect()  # changes that bring work forward wake the schedulers
