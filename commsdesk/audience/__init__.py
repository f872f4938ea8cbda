"""An organisation's audience: members, segments, press contacts and lists, consent and the
suppression list. Member data reveals political opinion (GDPR art. 9): only the roles in
`access.can_see_members` read it, and every read and export of it is audited."""
