"""The outbox: jobs recorded with the change that asks for them, handed to the broker after
the commit, and relayed later when the broker was down.

- `enqueue(task, *args)` inside the service's transaction writes the row; after the commit
  the row is handed to the broker at once, on a connection that gives up within about a
  second (`broker_connection`), and marked sent. A request never waits on a broker that is
  down, and never fails because of one: the row stays unsent, with the error, and this
  process stops trying the broker inline for `PAUSE_AFTER_FAILURE` seconds.
- `relay_pending()` (the `outbox.relay` job, every minute, and `manage.py relay_outbox`)
  hands every unsent row to the broker, oldest first.
- Each row is sent once: it is locked (`select_for_update(skip_locked=True)`) while it is
  published and marked sent in the same transaction, so two relays never send the same row.
  If the mark is lost after the broker took the message (a crash in between), the row is
  sent again: the jobs behind it are idempotent (`done_once`).
- With eager tasks (`make run`, no broker) "handing to the broker" runs the job, after the
  commit, as before; a job that fails stays unsent with its error, for `relay_outbox`.
"""

import logging
import time
from contextlib import nullcontext
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from earlyhelp.celery import app
from outbox.models import DoneOnce, OutboxMessage

logger = logging.getLogger(__name__)

# Seconds a publish may wait for the broker to accept a connection, and for each reply.
CONNECT_TIMEOUT = 1
SOCKET_TIMEOUT = 2
# After the broker failed, this process leaves new jobs to the relay for this many seconds.
PAUSE_AFTER_FAILURE = 30
BATCH_SIZE = 100
# Sent messages are kept this long (for the admin), then removed by the relay job.
KEEP_SENT_DAYS = 30

_paused_until = 0.0


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Record a job in the current transaction; it is handed to the broker after the commit.
    `task` is a Celery task or its name; arguments must be JSON (primary keys, strings)."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task_name=name, args=list(args), kwargs=kwargs)
    pk = message.pk
    transaction.on_commit(lambda: relay_message(pk), robust=True)
    return message


def done_once(key: str) -> bool:
    """Claim `key` for work about to be done in the current transaction: False when it was
    done before (or is being done by a transaction that then commits)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("done_once() claims a key for the transaction doing the work")
    try:
        with transaction.atomic():
            DoneOnce.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def eager() -> bool:
    return bool(app.conf.task_always_eager)


def broker_connection():
    """A connection for publishing that gives up quickly: no retries, short socket timeouts.
    None with eager tasks, which need no broker."""
    if eager():
        return None
    return app.connection_for_write(
        connect_timeout=CONNECT_TIMEOUT,
        transport_options={
            "max_retries": 0,
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
        },
    )


def _opened(connection):
    return nullcontext() if connection is None else connection


def broker_paused() -> bool:
    """Whether this process has just found the broker down (and leaves jobs to the relay)."""
    return not eager() and time.monotonic() < _paused_until


def _pause():
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE


def resume():
    """Try the broker inline again (after a relay got through, and in tests)."""
    global _paused_until
    _paused_until = 0.0


SENT, FAILED, BROKER_DOWN = "sent", "failed", "broker down"


def _publish(message: OutboxMessage, connection) -> str:
    """Hand a locked message to the broker (or run it, with eager tasks) and record how it
    went on the row."""
    message.attempts += 1
    message.last_attempt_at = timezone.now()
    outcome = SENT
    try:
        # A savepoint: an eager job that fails leaves its own writes undone, not the row's.
        with transaction.atomic():
            if message.task_name not in app.tasks:
                app.loader.import_default_modules()
            app.tasks[message.task_name].apply_async(
                args=message.args,
                kwargs=message.kwargs,
                connection=connection,
                retry=False,
                # Nothing waits for these results; asking the result store would hang too.
                ignore_result=True,
            )
    except Exception as error:
        outcome = BROKER_DOWN if isinstance(error, OperationalError) and not eager() else FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        logger.warning(
            "Job %s (outbox %s) not sent: %s", message.task_name, message.pk, message.last_error
        )
    else:
        message.sent_at = timezone.now()
        message.last_error = ""
    message.save(update_fields=["attempts", "last_attempt_at", "sent_at", "last_error"])
    return outcome


def relay_message(pk: int) -> bool:
    """Hand one message to the broker now, after the commit that recorded it. Never raises:
    whatever the broker's state, the change is saved and the person sees it."""
    if broker_paused():
        return False
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at__isnull=True)
                .first()
            )
            if message is None:  # sent already, or a relay has it
                return False
            with _opened(broker_connection()) as connection:
                outcome = _publish(message, connection)
    except Exception:
        logger.exception("Job in outbox %s not sent; the relay will try again", pk)
        return False
    if outcome == BROKER_DOWN:
        _pause()
    return outcome == SENT


def relay_pending() -> dict:
    """Hand every unsent message to the broker, oldest first, stopping when the broker does
    not answer. Returns how many were sent, failed, and are still waiting."""
    sent = failed = 0
    last_pk = 0
    broker_down = False
    with _opened(broker_connection()) as connection:
        while not broker_down:
            with transaction.atomic():
                batch = list(
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(sent_at__isnull=True, pk__gt=last_pk)
                    .order_by("pk")[:BATCH_SIZE]
                )
                for message in batch:
                    last_pk = message.pk
                    outcome = _publish(message, connection)
                    if outcome == SENT:
                        sent += 1
                    else:
                        failed += 1
                    if outcome == BROKER_DOWN:
                        broker_down = True
                        break
            if not batch:
                break
    if broker_down:
        _pause()
    elif sent:
        resume()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    return {"sent": sent, "failed": failed, "waiting": waiting, "broker_down": broker_down}


def prune_sent(*, keep_days: int = KEEP_SENT_DAYS) -> int:
    """Remove messages sent more than `keep_days` ago; returns how many. Waiting ones stay."""
    removed, _ = OutboxMessage.objects.filter(
        sent_at__lt=timezone.now() - timedelta(days=keep_days)
    ).delete()
    return removed
