from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Publication"

    def ready(self):
        from network import roles

        # Staff create and revoke the partners' API tokens and choose what is published.
        roles.grant(roles.STAFF, "publication", ["view", "add", "change"], ["partnertoken"])
