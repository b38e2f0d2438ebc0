"""Label sheets are made by a real Celery worker (Redis broker) from codes that already
exist: the task reports progress, and running it again never issues a code."""

import time

import pytest
from celery.result import AsyncResult
from django.core import mail
from django.test import Client

from supplychain import services, tasks
from supplychain.models import PackingRun, Recall, RecallNotice, TraceCode

from tests.background import TASK_TIMEOUT
from tests.clients import GraphQLClient


@pytest.mark.django_db(transaction=True)
def test_label_sheet_task_on_a_real_worker(celery_worker, packing_run, coop_user, settings,
                                           tmp_path):
    settings.MEDIA_ROOT = tmp_path
    codes_before = set(TraceCode.objects.values_list("code", flat=True))
    states = []
    result = tasks.make_label_sheet.delay(packing_run.pk)
    done = result.get(timeout=TASK_TIMEOUT, on_message=lambda m: states.append(m["status"]))
    assert done["total"] == 5 and done["url"].endswith(".pdf")
    assert "PROGRESS" in states or "SUCCESS" in states
    run = PackingRun.objects.get(pk=packing_run.pk)
    assert run.label_status == "ready"
    pdf = run.label_sheet.read()
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    # A retry (or a second request through the API) renders again, issuing nothing.
    client = GraphQLClient(coop_user)
    data = client.data("""mutation($run: ID!) { labelSheetCreate(packingRun: $run) {
        taskId packingRun { labelStatus } errors { code } } }""",
                       {"run": __import__("graphql_relay").to_global_id("PackingRun", run.pk)})
    task_id = data["labelSheetCreate"]["taskId"]
    assert AsyncResult(task_id).get(timeout=TASK_TIMEOUT)["total"] == 5
    assert set(TraceCode.objects.values_list("code", flat=True)) == codes_before
    progress = client.data("""query($run: ID!) { labelSheetProgress(packingRun: $run) {
        status done total url } }""", {"run": data and
                                       __import__("graphql_relay").to_global_id("PackingRun", run.pk)})
    assert progress["labelSheetProgress"]["status"] == "READY"
    assert progress["labelSheetProgress"]["done"] == 5
    # The producer downloads the sheet; another cooperative cannot.
    web = Client()
    web.force_login(coop_user)
    response = web.get(f"/supplychain/runs/{run.pk}/labels.pdf", follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert Client().get(f"/supplychain/runs/{run.pk}/labels.pdf").status_code == 403

    # A recall queues its notifications on the same worker; a retry tells no one twice.
    recall = services.recall_lot(packing_run.organization, graded_lot=packing_run.graded_lot,
                                 level="level_1", reason="检出致病菌", user=coop_user)
    deadline = time.monotonic() + TASK_TIMEOUT  # the queued run first (two threads could race)
    while not Recall.objects.filter(pk=recall.pk, notified_at__isnull=False).exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert tasks.notify_recall.delay(recall.pk).get(timeout=TASK_TIMEOUT) == 0
    assert list(RecallNotice.objects.values_list("email", flat=True)) == ["coop@example.com"]
    assert len([m for m in mail.outbox if "检出致病菌" in m.body]) == 1
    assert coop_user.notifications.filter(kind="recall").count() == 1


def test_label_sheet_progress_is_reported(db, packing_run):
    seen = []
    pdf = services.render_label_sheet(packing_run, progress=lambda d, t: seen.append((d, t)))
    assert pdf.startswith(b"%PDF") and seen[-1] == (5, 5)
