"""The proposal list's lead-department filter: the unit that answers, not its supports."""

from app.proposals import workflow
from tests.proposals.conftest import unit_id
from tests.proposals.test_list import titles


def test_lead_filter_leaves_out_proposals_the_unit_only_supports(app, make_proposal, as_user):
    make_proposal(workflow.ASSIGNED, title="Chủ trì SXD", lead="SXD")
    make_proposal(workflow.ASSIGNED, title="SNV chủ trì, SXD phối hợp", lead="SNV", supports=("SXD",))
    client = as_user("coordinator")
    sxd = unit_id(app, "SXD")
    assert titles(client, f"?department={sxd}") == ["SNV chủ trì, SXD phối hợp", "Chủ trì SXD"]
    assert titles(client, f"?lead={sxd}") == ["Chủ trì SXD"]
    page = client.get(f"/proposals/?lead={sxd}").get_data(as_text=True)
    assert f'<option value="{sxd}" selected>' in page  # the filter form shows it, so it survives a change
    # The Excel link and the pager keep it.
    assert f"lead={sxd}" in page.split('id="proposals-table"', 1)[1]
