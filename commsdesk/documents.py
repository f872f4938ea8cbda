"""Drafting: creating documents, saving immutable revisions, conflicts, autosave and diffs."""
import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload, selectinload

from . import audit, kinds, search, workflow
from .access import can_reassign, get_or_404, parse_id, require_edit, visible_branches
from .errors import Conflict, ValidationError
from .extensions import db
from .models import Autosave, Document, Revision, Tag, User, document_tags
from .times import organisation_zone, parse_datetime, utcnow
from .validation import text_field

MAX_TITLE = 300
MAX_LEAD = 5_000
MAX_BODY = 200_000
MAX_TAGS = 20


def content_hash(content):
    """SHA-256 of a revision's content in canonical JSON."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _field_value(spec, value, tz):
    if spec.type == "datetime":
        parsed = parse_datetime(value, tz, field=spec.name, label=spec.label)
        return parsed.isoformat() if parsed else ""
    if spec.type == "int":
        if value in (None, ""):
            return ""
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
            raise ValidationError(_("%(field)s must be a whole number.", field=spec.label),
                                  field=spec.name) from None
        if not 0 < number <= MAX_BODY:
            raise ValidationError(_("%(field)s is out of range.", field=spec.label),
                                  field=spec.name)
        return number
    if spec.type == "lines" and isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    return text_field(value, spec.max_length, spec.label, spec.name)


def normalise_content(kind_key, data, tz=None):
    """Validated, canonical revision content for a kind, from form or JSON input."""
    kind = kinds.get_kind(kind_key)
    if kind is None:
        raise ValidationError(_("Unknown kind: %(kind)s", kind=kind_key), field="kind")
    if not isinstance(data, dict):
        raise ValidationError(_("Content must be an object."))
    content = {
        "title": text_field(data.get("title"), MAX_TITLE, _("Title"), "title", required=True),
        # Lead and body are stored as written: outer whitespace is part of the revision.
        "lead": text_field(data.get("lead"), MAX_LEAD, _("Lead"), "lead", strip=False),
        "body": text_field(data.get("body"), MAX_BODY, _("Body"), "body", strip=False),
    }
    raw_fields = {} if data.get("fields") is None else data["fields"]
    if not isinstance(raw_fields, dict):
        raise ValidationError(_("Fields must be an object."))
    content["fields"] = {s.name: _field_value(s, raw_fields.get(s.name), tz) for s in kind.fields}
    if kind.platforms:
        raw_variants = {} if data.get("variants") is None else data["variants"]
        if not isinstance(raw_variants, dict):
            raise ValidationError(_("Variants must be an object."))
        content["variants"] = {
            key: text_field(raw_variants.get(key), 70_000, kinds.PLATFORMS[key].label,
                            f"variants.{key}", strip=False)
            for key in kind.platforms
        }
    return content


def _search_text(content):
    parts = [content["title"], content["lead"], content["body"]]
    parts += [str(v) for v in content.get("fields", {}).values()]
    parts += list(content.get("variants", {}).values())
    return "\n".join(p for p in parts if p).lower()


def _add_revision(user, doc, content, parent, note=""):
    number = (parent.number + 1) if parent else 1
    revision = Revision(
        document=doc,
        number=number,
        parent_id=parent.id if parent else None,
        author_id=user.id,
        content=content,
        content_hash=content_hash(content),
        note=note[:300],
    )
    db.session.add(revision)
    db.session.flush()
    doc.current_revision_id = revision.id
    doc.current_revision = revision
    doc.title = content["title"]
    doc.search_text = _search_text(content)
    doc.updated_at = utcnow()
    search.index_document(doc)  # the one place a document's current revision changes
    return revision


def record_revision(user, doc, note):
    """A new revision with the current text, for a change beside the text that alters what
    goes out (its images): approvals go stale exactly as after an edit. The caller commits."""
    current = doc.current_revision
    revision = _add_revision(user, doc, dict(current.content), current, note)
    workflow.on_new_revision(user, doc)
    audit.record(user, "document.saved", doc, revision=revision.number)
    return revision


def _clean_tags(names):
    """Tag names as given (a list, or comma-separated text), trimmed and without repeats."""
    if isinstance(names, str):
        names = names.split(",")
    cleaned = []
    for name in names:
        name = str(name).strip()[:60]
        if name and name.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(_("At most %(n)d tags.", n=MAX_TAGS), field="tags")
    return cleaned


def _tags_named(organisation_id, names):
    """The organisation's tags of these names, creating the missing ones."""
    tags = []
    for name in names:
        tag = db.session.execute(
            select(Tag).where(Tag.organisation_id == organisation_id,
                              func.lower(Tag.name) == name.lower())
        ).scalar_one_or_none()
        if tag is None:
            tag = Tag(organisation_id=organisation_id, name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


def _resolve_owner(user, owner_id):
    owner_id = parse_id(owner_id)
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner is None or owner.organisation_id != user.organisation_id:
        raise ValidationError(_("The owner must be a user of your organisation."), field="owner")
    return owner


def create_document(user, kind, data, tags=None, deadline=None, owner_id=None):
    """Create a document with its first revision; times without a zone are the organisation's."""
    tz = organisation_zone(user)
    content = normalise_content(kind, data, tz)
    owner = user
    if owner_id not in (None, "") and can_reassign(user):
        owner = _resolve_owner(user, owner_id)
    doc = Document(
        organisation_id=user.organisation_id,
        kind=kind,
        state="draft",
        owner_id=owner.id,
        deadline=parse_datetime(deadline, tz, field="deadline", label=_("Deadline")),
    )
    db.session.add(doc)
    doc.tags = _tags_named(user.organisation_id, _clean_tags(tags or []))
    db.session.flush()
    _add_revision(user, doc, content, None)
    audit.record(user, "document.created", doc, kind=kind)
    db.session.commit()
    return doc


def save(user, doc, data=None, base_revision_id=None, note="", tags=None, deadline=...,
         owner_id=None):
    """Save the editor's or the API's changes in one transaction: new content (data, based on
    base_revision_id) becomes a revision if it differs, and tags, deadline and owner change
    with it. Everything is checked before anything is written, so a refused save (a conflict,
    an invalid deadline, ...) changes nothing. Returns (revision, created)."""
    require_edit(user, doc)
    content = None if data is None else _checked_content(doc, data, base_revision_id)
    details = _checked_details(user, doc, tags, deadline, owner_id)
    try:
        revision, created = doc.current_revision, False
        if content is not None:
            revision, created = _write_revision(user, doc, content, note)
        if details:
            _write_details(user, doc, details)
        db.session.commit()
    except IntegrityError:  # another save took the revision number at the same moment
        db.session.rollback()
        raise Conflict(
            _("Someone saved a newer version while you were editing. Nothing was overwritten."),
            proposed=content,
        ) from None
    return revision, created


def save_revision(user, doc, data, base_revision_id, note=""):
    """Save new content as a revision, refusing with Conflict if the base is not current."""
    return save(user, doc, data, base_revision_id, note=note)


def _checked_content(doc, data, base_revision_id):
    """Valid content for the document, if it is based on the current revision."""
    workflow.check_editable(doc)
    content = normalise_content(doc.kind, data, organisation_zone(doc))
    if str(base_revision_id) != str(doc.current_revision_id):
        raise Conflict(
            _("Someone saved a newer version while you were editing. Nothing was overwritten."),
            current_revision_id=doc.current_revision_id,
            proposed=content,
        )
    return content


def _checked_details(user, doc, tags, deadline, owner_id):
    """The valid details to change (an empty dict when none is given)."""
    details = {}
    if tags is not None:
        details["tags"] = _clean_tags(tags)
    if deadline is not ...:
        try:
            details["deadline"] = parse_datetime(deadline, organisation_zone(doc),
                                                 label=_("Deadline"))
        except ValidationError as exc:
            raise ValidationError(exc.message, field="deadline") from None
    if owner_id not in (None, "") and can_reassign(user):
        details["owner_id"] = _resolve_owner(user, owner_id).id
    return details


def _write_revision(user, doc, content, note):
    current = doc.current_revision
    _clear_autosave(user, doc)
    if content_hash(content) == current.content_hash:
        return current, False
    revision = _add_revision(user, doc, content, current, note)
    workflow.on_new_revision(user, doc)
    audit.record(user, "document.saved", doc, revision=revision.number)
    return revision, True


def _write_details(user, doc, details):
    if "tags" in details:
        doc.tags = _tags_named(doc.organisation_id, details["tags"])
    if "deadline" in details:
        doc.deadline = details["deadline"]
    if "owner_id" in details:
        doc.owner_id = details["owner_id"]
    audit.record(user, "document.metadata", doc)


def restore_revision(user, doc, revision_id):
    """Make an old revision's content current again, as a new revision."""
    old = get_revision(doc, revision_id)
    return save_revision(
        user, doc, old.content, doc.current_revision_id,
        # Stored in English, shown in the reader's language (web.filters.revision_note).
        note=f"Restored from revision {old.number}",
    )


def get_revision(doc, revision_id):
    """A revision of this document, or NotFound."""
    return get_or_404(Revision, revision_id, Revision.document_id == doc.id,
                      message=_("No such revision."))


def revisions(doc):
    """All revisions of a document, newest first."""
    return db.session.execute(
        select(Revision).where(Revision.document_id == doc.id).order_by(Revision.number.desc())
    ).scalars().all()


def store_autosave(user, doc, data, base_revision_id):
    """Keep the user's unsaved buffer; says whether a newer revision exists."""
    require_edit(user, doc)
    content = normalise_content(doc.kind, {**data, "title": data.get("title") or doc.title},
                                organisation_zone(doc))
    base = get_revision(doc, base_revision_id)
    row = db.session.execute(
        select(Autosave).where(Autosave.document_id == doc.id, Autosave.user_id == user.id)
    ).scalar_one_or_none()
    if row is None:
        row = Autosave(document_id=doc.id, user_id=user.id)
        db.session.add(row)
    row.base_revision_id = base.id
    row.content = content
    row.saved_at = utcnow()
    db.session.commit()
    return {"saved_at": row.saved_at, "stale": base.id != doc.current_revision_id}


def pending_autosave(user, doc):
    """The user's autosaved buffer for this document, if it differs from the current text."""
    row = db.session.execute(
        select(Autosave).where(Autosave.document_id == doc.id, Autosave.user_id == user.id)
    ).scalar_one_or_none()
    if row is None or content_hash(row.content) == doc.current_revision.content_hash:
        return None
    return row


def discard_autosave(user, doc):
    _clear_autosave(user, doc)
    db.session.commit()


def _clear_autosave(user, doc):
    db.session.execute(
        Autosave.__table__.delete().where(
            Autosave.document_id == doc.id, Autosave.user_id == user.id
        )
    )


def _filtered(query, matching=None, kind=None, tag=None, owner=None, state=None):
    if matching is not None:  # the full-text index's matches for q (search.document_ids)
        query = query.where(Document.id.in_(matching))
    if kind:
        query = query.where(Document.kind == kind)
    if state:
        query = query.where(Document.state == state)
    if parse_id(owner):
        query = query.where(Document.owner_id == parse_id(owner))
    if tag:
        query = query.where(Document.id.in_(
            select(document_tags.c.document_id).join(Tag, Tag.id == document_tags.c.tag_id)
            .where(Tag.name == tag)))
    return query


def _page(branches, order, limit, offset=0):
    """Documents from several visibility branches, merged in one order. Each branch is
    ordered and cut on its own index before the merge, so a page costs the same with
    10 or 10,000 documents."""
    keys = [column.label(f"k{i}") for i, (column, _desc) in enumerate(order)]
    parts = []
    for branch in branches:
        part = branch.with_only_columns(Document.id, *keys).order_by(
            *[c.desc() if d else c.asc() for c, d in order]).limit(limit + offset)
        parts.append(part.subquery().select())
    merged = union_all(*parts).subquery()
    ordering = [merged.c[f"k{i}"].desc() if d else merged.c[f"k{i}"].asc()
                for i, (_c, d) in enumerate(order)] + [merged.c.id.desc()]
    ids = db.session.execute(
        select(merged.c.id).order_by(*ordering).limit(limit).offset(offset)).scalars().all()
    if not ids:
        return []
    rows = db.session.execute(
        select(Document).where(Document.id.in_(ids)).options(
            selectinload(Document.tags), joinedload(Document.owner),
            selectinload(Document.current_revision).load_only(
                Revision.id, Revision.number, Revision.content_hash, Revision.author_id),
            defer(Document.search_text))
    ).scalars().all()
    by_id = {d.id: d for d in rows}
    return [by_id[i] for i in ids]


def list_documents(user, q=None, kind=None, tag=None, owner=None, state=None,
                   page=1, per_page=25):
    """A page of visible documents matching the filters, newest change first, and the total."""
    matching = search.document_ids(user, q)
    branches = [_filtered(b, matching, kind, tag, owner, state) for b in visible_branches(user)]
    total = sum(db.session.execute(
        b.with_only_columns(func.count(Document.id)).order_by(None)).scalar_one()
        for b in branches)
    page = max(1, int(page or 1))
    order = [(Document.updated_at, True), (Document.id, True)]
    return _page(branches, order, per_page, (page - 1) * per_page), total


def dashboard(user, limit=8, todo_shown=30):
    """What waits for me (workflow.todo: the soonest due first, the rest counted), my drafts,
    upcoming deadlines and recently changed documents."""
    branches = visible_branches(user)
    recent = [(Document.updated_at, True), (Document.id, True)]
    todo, total = workflow.todo_with_total(user, todo_shown)
    return {
        "todo": todo,
        "todo_more": total - len(todo),
        "mine": _page([b.where(Document.owner_id == user.id, Document.state == "draft")
                       for b in branches], recent, limit),
        "deadlines": _page([b.where(Document.deadline >= utcnow()) for b in branches],
                           [(Document.deadline, False), (Document.id, False)], limit),
        "recent": _page(branches, recent, limit),
    }
