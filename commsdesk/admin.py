"""The Flask-Admin back office at /admin: organisations (superusers), users, tags, settings
and the audit log of one's own organisation (organisation admins).

Every model view is scoped by `_TenantView`: an organisation admin sees, edits and creates
only rows of their own organisation; another organisation's row answers 404. Account
changes go through `people` so that disabling a user ends their sessions at once.
"""
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import BaseForm
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import func, select
from wtforms.validators import ValidationError

from . import audit, people
from .access import ROLES, is_admin
from .errors import DomainError
from .extensions import db
from .models import AuditEntry, Organisation, OrganisationSetting, Tag, User
from .publishing import channels


class AdminForm(BaseForm):
    """Flask-Admin forms carrying the app's own (Flask-WTF) CSRF token, so that the
    global CSRFProtect and the form agree on one token per session."""

    class Meta(FlaskForm.Meta):
        pass


def _is_admin(user):
    return bool(user.is_authenticated and (
        user.is_superuser or (is_admin(user) and user.organisation_id is not None)
    ))


def _deny():
    """Anonymous users are sent to log in; everyone else learns nothing (404)."""
    if not current_user.is_authenticated:
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))
    abort(404)


def _fail(message):
    """Refuse a change: Flask-Admin flashes the message, rolls back and shows the form again."""
    raise ValidationError(message)


class HomeView(AdminIndexView):
    def is_accessible(self):
        return _is_admin(current_user)

    def inaccessible_callback(self, name, **kwargs):
        return _deny()

    @expose("/")
    def index(self):
        return self.render("admin/commsdesk_home.html")


class _SecuredView(ModelView):
    """Shared access rules, CSRF and audit for every model view."""

    form_base_class = AdminForm
    superuser_only = False
    can_view_details = False
    can_export = False
    page_size = 50

    def is_accessible(self):
        if self.superuser_only:
            return bool(current_user.is_authenticated and current_user.is_superuser)
        return _is_admin(current_user)

    def inaccessible_callback(self, name, **kwargs):
        return _deny()

    @property
    def _audit_name(self):
        return self.model.__name__.lower()

    def _audit(self, verb, obj):
        audit.record(current_user._get_current_object(), f"admin.{self._audit_name}.{verb}", obj)

    def get_one(self, id):
        """The row if it is in scope; 404 otherwise (also for another organisation's row)."""
        try:
            pk = int(id)
        except (TypeError, ValueError):
            abort(404)
        obj = self.get_query().filter(self.model.id == pk).one_or_none()
        if obj is None:
            abort(404)
        return obj

    @action("delete", lazy_gettext("Delete"),
            lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        # Flask-Admin compares the integer key with the posted strings, which PostgreSQL
        # refuses (integer = character varying); the query stays scoped by get_query.
        return super().action_delete(tuple(int(i) for i in ids if str(i).isdigit()))

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:  # the checks query before the row may be written
            self.check(form, model, is_created)
        if is_created:
            db.session.flush()  # the audit entry names the new row's id
        self._audit("created" if is_created else "updated", model)

    def check(self, form, model, is_created):
        """Validate a create or update; raise ValidationError with a clear message."""

    def on_model_delete(self, model):
        # Written before the delete, in the same transaction, while the row still has its id.
        self._audit("deleted", model)


class _TenantView(_SecuredView):
    """A model with an organisation_id: organisation admins see and change only their own."""

    @staticmethod
    def _scoped():
        return not current_user.is_superuser

    def get_query(self):
        query = super().get_query()
        if self._scoped():
            query = query.filter(self.model.organisation_id == current_user.organisation_id)
        return query

    def get_count_query(self):
        query = super().get_count_query()
        if self._scoped():
            query = query.filter(self.model.organisation_id == current_user.organisation_id)
        return query

    def _without_organisation_field(self, form):
        # Only a superuser chooses the organisation; for others it is always their own,
        # whatever the request sends.
        if self._scoped() and "organisation" in form:
            del form["organisation"]
        return form

    def create_form(self, obj=None):
        return self._without_organisation_field(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._without_organisation_field(super().edit_form(obj))

    def on_model_change(self, form, model, is_created):
        with db.session.no_autoflush:
            if self._scoped():
                model.organisation = current_user.organisation
            if getattr(model, "organisation", None) is None:
                _fail(_("Choose an organisation."))
        super().on_model_change(form, model, is_created)

    def _taken(self, model, **where):
        """Whether another row of the same organisation has these values."""
        query = select(self.model.id).where(
            self.model.organisation_id == model.organisation.id,
            *(getattr(self.model, k) == v for k, v in where.items()),
        )
        if model.id is not None:
            query = query.where(self.model.id != model.id)
        return db.session.execute(query).first() is not None


class OrganisationView(_SecuredView):
    superuser_only = True
    column_list = ("name", "slug", "timezone", "created_at")
    column_searchable_list = ("name", "slug")
    column_default_sort = "name"
    form_columns = ("name", "slug", "timezone")
    column_labels = {"name": _l("Name"), "slug": _l("Slug"), "timezone": _l("Time zone"),
                     "created_at": _l("Created")}
    column_descriptions = {"slug": _l("Lower-case letters, digits and dashes."),
                           "timezone": _l("IANA time zone, e.g. Europe/Stockholm.")}

    def create_model(self, form):
        """Create through people.create_organisation, which validates and audits."""
        try:
            timezone = self._timezone(form.timezone.data)
            org = people.create_organisation(form.name.data, (form.slug.data or "").strip(),
                                             timezone)
            self._audit("created", org)
            db.session.commit()
        except (DomainError, ValidationError) as exc:
            db.session.rollback()
            flash(getattr(exc, "message", str(exc)), "error")
            return False
        return org

    def check(self, form, model, is_created):
        model.name = (model.name or "").strip()
        model.slug = (model.slug or "").strip()
        if not model.name:
            _fail(_("A name is required."))
        if not people.SLUG_RE.match(model.slug):
            _fail(_("The slug may contain lower-case letters, digits and dashes."))
        taken = db.session.execute(select(Organisation.id).where(
            Organisation.slug == model.slug, Organisation.id != model.id)).first()
        if taken:
            _fail(_("The slug %(slug)s is taken.", slug=model.slug))
        model.timezone = self._timezone(model.timezone)

    @staticmethod
    def _timezone(name):
        name = (name or "").strip() or None
        if name is None:
            return None
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            _fail(_("Unknown time zone %(tz)s (use e.g. Europe/Stockholm).", tz=name))
        return name

    def on_model_delete(self, model):
        count = db.session.execute(
            select(func.count(User.id)).where(User.organisation_id == model.id)).scalar_one()
        if count:
            _fail(_("%(org)s has %(n)d users and cannot be deleted. Move them to another "
                    "organisation first.", org=model.name, n=count))
        if not channels.delete_unused(model):
            _fail(_("%(org)s has published or queued texts and cannot be deleted.",
                    org=model.name))
        super().on_model_delete(model)


class UserView(_TenantView):
    can_delete = False  # accounts are disabled, never deleted: they author revisions
    column_list = ("email", "name", "role", "active", "organisation", "created_at")
    column_searchable_list = ("email", "name")
    column_default_sort = "email"
    form_columns = ("email", "name", "role", "active", "organisation")
    form_choices = {"role": [(role, role) for role in ROLES]}
    column_labels = {"email": _l("Email"), "name": _l("Name"), "role": _l("Role"),
                     "active": _l("Active"), "organisation": _l("Organisation"),
                     "created_at": _l("Created")}
    column_descriptions = {
        "active": _l("A disabled user is logged out at once and cannot log in."),
    }

    def create_model(self, form):
        """Invite the person (they choose a password from the emailed link)."""
        actor = current_user._get_current_object()
        org = actor.organisation if self._scoped() else form.organisation.data
        try:
            if org is None:
                _fail(_("Choose an organisation."))
            if org.id == actor.organisation_id:
                user, _link = people.invite_user(actor, form.email.data, form.name.data,
                                                 form.role.data)
                message = _("An invitation to choose a password has been sent to %(email)s.",
                            email=user.email)
            else:
                user = people.create_user(form.email.data, form.name.data, form.role.data, org,
                                          actor=actor)
                message = _("%(email)s has no password yet and cannot log in until one is "
                            "set; invitations are sent by an admin of %(org)s.",
                            email=user.email, org=org.name)
            self._audit("created", user)
            db.session.commit()
            if not form.active.data:
                people.set_active(actor, user, False)
        except (DomainError, ValidationError) as exc:
            db.session.rollback()
            flash(getattr(exc, "message", str(exc)), "error")
            return False
        flash(message, "info")
        return user

    def check(self, form, model, is_created):
        # When editing oneself, `model` is the very object behind current_user, already
        # populated from the form: compare with the form's original values.
        actor = current_user
        if model.is_superuser and not actor.is_superuser:
            _fail(_("Only a superuser may change a superuser's account."))
        if not is_created and model.id == actor.id:
            if not model.active:
                _fail(_("You cannot disable your own account."))
            if not actor.is_superuser and not is_admin(model):
                _fail(_("You cannot take away your own admin role."))
            if "organisation" in form and model.organisation is not form.organisation.object_data:
                _fail(_("You cannot move your own account to another organisation."))
        try:
            email = people.normalise_email(model.email)
        except DomainError as exc:
            _fail(exc.message)
        taken = db.session.execute(select(User.id).where(
            func.lower(User.email) == email, User.id != model.id)).first()
        if taken:
            _fail(_("A user with that email exists already."))
        model.email = email
        model.name = (model.name or "").strip()
        if not model.name:
            _fail(_("A name is required."))
        if model.role not in ROLES:
            _fail(_("Unknown role %(role)s.", role=model.role))

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        was_active = form.active.object_data
        if not is_created and bool(was_active) != bool(model.active):
            # Through the domain function: disabling revokes every session of the user.
            people.set_active(current_user._get_current_object(), model, model.active)


class TagView(_TenantView):
    column_list = ("name", "organisation")
    column_searchable_list = ("name",)
    column_default_sort = "name"
    form_columns = ("name", "organisation")
    column_labels = {"name": _l("Name"), "organisation": _l("Organisation")}

    def check(self, form, model, is_created):
        model.name = (model.name or "").strip()
        if not model.name:
            _fail(_("A name is required."))
        if self._taken(model, name=model.name):
            _fail(_("The tag %(name)s exists already.", name=model.name))


class SettingView(_TenantView):
    column_list = ("name", "value", "organisation")
    column_searchable_list = ("name",)
    column_default_sort = "name"
    form_columns = ("name", "value", "organisation")
    column_labels = {"name": _l("Name"), "value": _l("Value"), "organisation": _l("Organisation")}

    def check(self, form, model, is_created):
        model.name = (model.name or "").strip()
        model.value = model.value or ""
        if not model.name:
            _fail(_("A name is required."))
        if self._taken(model, name=model.name):
            _fail(_("The setting %(name)s exists already.", name=model.name))


def _actor_formatter(view, context, entry, name):
    if entry.actor_id is None:
        return "-"
    return entry.actor.email if entry.actor is not None else f"#{entry.actor_id}"


def _data_formatter(view, context, entry, name):
    if not entry.data:
        return ""
    return Markup("<br>").join(escape(f"{k}: {v}") for k, v in sorted(entry.data.items()))


class AuditView(_TenantView):
    """The audit log: read only, newest first."""

    can_create = can_edit = can_delete = False
    can_view_details = True
    column_list = ("at", "actor_id", "action", "object_type", "object_id", "data",
                   "organisation_id")
    # No column_filters: Flask-Admin's filter menu uses inline handlers that the CSP blocks.
    column_searchable_list = ("action", "object_type")
    column_default_sort = ("id", True)
    column_formatters = {"actor_id": _actor_formatter, "data": _data_formatter}
    column_formatters_detail = column_formatters
    column_labels = {"at": _l("Time"), "actor_id": _l("Actor"), "action": _l("Action"),
                     "object_type": _l("Object"), "object_id": _l("Id"), "data": _l("Data"),
                     "organisation_id": _l("Organisation")}

    def on_model_change(self, form, model, is_created):
        abort(404)

    def on_model_delete(self, model):
        abort(404)


def init_app(app):
    admin = Admin(
        app,
        name="commsdesk",
        theme=Bootstrap4Theme(base_template="admin/commsdesk_base.html"),
        index_view=HomeView(name=_l("Home"), url="/admin"),
        csp_nonce_generator=lambda: g.csp_nonce,
    )
    admin.add_view(OrganisationView(Organisation, db, name=_l("Organisations")))
    admin.add_view(UserView(User, db, name=_l("Users")))
    admin.add_view(TagView(Tag, db, name=_l("Tags")))
    admin.add_view(SettingView(OrganisationSetting, db, name=_l("Settings"),
                               endpoint="setting"))
    admin.add_view(AuditView(AuditEntry, db, name=_l("Audit log"), endpoint="admin_audit",
                             url="audit"))
    admin.add_link(MenuLink(name=_l("Back to commsdesk"), url="/"))
    return admin
