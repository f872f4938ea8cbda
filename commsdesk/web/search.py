"""The search page (/search): one box over documents and monitored items, ranked, with
highlighted snippets (thin over commsdesk.search)."""
from flask import Blueprint, render_template, request
from flask_login import current_user

from .. import search
from . import members_only, page_arg

bp = Blueprint("search", __name__, url_prefix="/search")
members_only(bp)
PER_PAGE = 20
TABS = ("all", "documents", "items")


@bp.get("/")
def index():
    q = request.args.get("q", "")[:search.querying.MAX_QUERY]
    tab = request.args.get("kind") if request.args.get("kind") in TABS else "all"
    kinds = search.querying.KINDS if tab == "all" else (tab,)
    page = page_arg()
    found = search.query(current_user, q, kinds=kinds, page=page, per_page=PER_PAGE)
    pages = max(1, -(-found.total // PER_PAGE))
    return render_template("search/index.html", q=q, tab=tab, tabs=TABS, found=found,
                           page=page, pages=pages)
