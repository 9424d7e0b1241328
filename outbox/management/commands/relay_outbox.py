from django.core.management.base import BaseCommand

from outbox.services import relay_pending


class Command(BaseCommand):
    help = (
        "Hand background jobs still waiting in the outbox to the broker (with eager tasks: "
        "run them). The outbox.relay job does this every minute."
    )

    def handle(self, *args, **options):
        result = relay_pending()
        self.stdout.write(
            f"Sent: {result['sent']}. Not sent: {result['failed']}. "
            f"Still waiting: {result['waiting']}."
            + (" The broker did not answer." if result["broker_down"] else "")
        )
