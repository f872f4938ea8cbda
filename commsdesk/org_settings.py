"""An organisation's settings, kept as OrganisationSetting rows of string values named
"<area>.<name>" (brand.*, mail.*, monitoring.*). Each area's module owns its names, checks
and defaults; this module only reads and writes the rows."""
from sqlalchemy import select

from .extensions import db
from .models import OrganisationSetting


def read(organisation_id, names):
    """{name: value} of the named settings that are set (missing ones are left out)."""
    return dict(db.session.execute(
        select(OrganisationSetting.name, OrganisationSetting.value).where(
            OrganisationSetting.organisation_id == organisation_id,
            OrganisationSetting.name.in_(tuple(names)))).all())


def write(organisation_id, values):
    """Set the settings in `values` ({name: string}); returns the names whose value changed.
    Adds rows; the caller audits and commits."""
    existing = {row.name: row for row in db.session.execute(
        select(OrganisationSetting).where(
            OrganisationSetting.organisation_id == organisation_id,
            OrganisationSetting.name.in_(tuple(values)))).scalars()}
    changed = []
    for name, value in values.items():
        row = existing.get(name)
        if row is None:
            row = OrganisationSetting(organisation_id=organisation_id, name=name, value="")
            db.session.add(row)
        if row.value != value:
            row.value = value
            changed.append(name)
    return changed
