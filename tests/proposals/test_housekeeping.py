"""The daily run removes what the site keeps only for a while (app.housekeeping): old create-form
keys, old sent or given-up webhook deliveries, abandoned uploads, old documents with their files;
everything younger stays, and a pending delivery or a waiting document job whatever its age."""

import io
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app import clock
from app.api.models import FAILED, PENDING, SENT, ApiToken, WebhookDelivery
from app.docjobs.models import DONE, QUEUED, DocumentJob
from app.extensions import db
from app.idempotency import FormSubmission
from app.models import Attachment, User
from tests.proposals.test_form import new_form, valid_data
from tests.proposals.test_pending_uploads import PDF, _held_ids


def _seed(app):
    now = clock.now()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "xa.a"))
        token = ApiToken(user_id=user.id, name="Hệ thống một cửa", token_hash="f" * 64, prefix="gb_ffffff",
                         expires_on=clock.today() + timedelta(days=30))
        db.session.add(token)
        db.session.flush()
        for key, age in (("k" * 20, timedelta(days=31)), ("n" * 20, timedelta(days=28))):
            db.session.add(FormSubmission(key=key, user_id=user.id, target_url="/proposals/1", created_at=now - age))
        for state, age in ((SENT, 91), (FAILED, 91), (PENDING, 91), (SENT, 88)):
            db.session.add(WebhookDelivery(token_id=token.id, event="proposal.answered", payload={}, state=state,
                                           created_at=now - timedelta(days=age)))
        folder = Path(app.config["DOCUMENT_JOB_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        for name, state, age in (("old", DONE, 8), ("recent", DONE, 5), ("waiting", QUEUED, 8)):
            path = folder / f"{name}.bin"
            path.write_bytes(b"%PDF-1.7")
            db.session.add(DocumentJob(kind="report", parameters={}, user_id=user.id, state=state, cache_key=name,
                                       file_path=str(path), file_name=f"{name}.pdf", mime="application/pdf",
                                       created_at=now - timedelta(days=age), updated_at=now - timedelta(days=age)))
        db.session.commit()
        return folder


def test_the_daily_run_removes_old_form_keys_deliveries_and_abandoned_uploads(app, as_user, pin_today):
    client = as_user("commune_a")
    refused = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, new_form(client), title="", attachments=[(io.BytesIO(PDF), "Bỏ dở.pdf")]))
    held = int(_held_ids(refused.get_data(as_text=True))[0])
    folder = _seed(app)

    runner = app.test_cli_runner()
    same_day = runner.invoke(args=["prune"])
    assert same_day.exit_code == 0, same_day.output
    assert ("1 form key(s), 2 webhook delivery record(s), 0 abandoned upload(s), 1 old document(s) removed"
            in same_day.output)
    assert sorted(p.name for p in folder.glob("*.bin")) == ["recent.bin", "waiting.bin"]

    pin_today(clock.now() + timedelta(days=1, hours=1))
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert ("Housekeeping: 0 form key(s), 0 webhook delivery record(s), 1 abandoned upload(s), 0 old document(s) "
            "removed") in result.output
    with app.app_context():
        assert db.session.scalars(select(FormSubmission.key).where(FormSubmission.key.in_(["k" * 20, "n" * 20]))).all() == ["n" * 20]
        left = sorted(db.session.execute(select(WebhookDelivery.state, WebhookDelivery.created_at)).all(),
                      key=lambda row: row.created_at)
        assert [row.state for row in left] == [PENDING, SENT]
        assert db.session.scalar(select(func.count()).select_from(Attachment).where(Attachment.id == held)) == 0
        assert sorted(db.session.scalars(select(DocumentJob.cache_key))) == ["recent", "waiting"]


def test_a_build_stopped_halfway_leaves_its_partial_file_only_until_its_job_goes(app):
    """A document job's build writes into its file as it goes; a build stopped by the time limit
    or a lost worker leaves that file half written (its job failed, with no file). The daily run
    removes it with its job; a younger failed job keeps its own until then."""
    from app.docjobs.models import FAILED as JOB_FAILED

    now = clock.now()
    folder = Path(app.config["DOCUMENT_JOB_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "vanphong"))
        jobs = {}
        for name, age in (("old", 8), ("recent", 5)):
            job = DocumentJob(kind="export", parameters={}, user_id=user.id, state=JOB_FAILED, cache_key=name,
                              error="Tài liệu chưa tạo xong", created_at=now - timedelta(days=age),
                              updated_at=now - timedelta(days=age))
            db.session.add(job)
            db.session.flush()
            jobs[name] = job.id
        db.session.commit()
    for name, job_id in jobs.items():
        (folder / f"{job_id}-{name}.bin.part").write_bytes(b"\xef\xbb\xbfS\xe1\xbb\x91,")
    (folder / f"{jobs['old']}0-other.bin").write_bytes(b"another job's finished file")

    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(
        [f"{jobs['recent']}-recent.bin.part", f"{jobs['old']}0-other.bin"])
