"""Workflow: a document's states and the table of allowed transitions (the only code that
writes a document's state), approvals bound to revisions and their status, the approval policy
per kind, and review requests. Callers use the names re-exported here:
`workflow.approve(user, doc)`, `workflow.approval_status(doc).agreed`."""
from .approvals import (
    ApprovalExpired,
    ApprovalStatus,
    OrganisationApproval,
    approval_status,
    has_approved,
    mark_stale,
    publish_gate,
    required_organisations,
)
from .policy import EDITOR_APPROVES, policy, set_policy
from .requests import (
    close_requests,
    open_requests_for,
    open_review_requests,
    overdue_reviews,
    possible_reviewers,
    previous_reviewers,
    waiting_for_review,
)
from .review import UNCHANGED, changes_requested_note, last_seen_revision, update_review
from .todo import TodoItem, todo, todo_with_total
from .transitions import (
    ACTIONS,
    APPROVED,
    ARCHIVED,
    CHANGES_REQUESTED,
    DRAFT,
    EDITABLE,
    IN_REVIEW,
    OTHER_ACTION_LABELS,
    PUBLISHED,
    SCHEDULED,
    STATE_LABELS,
    STATES,
    TRANSITIONS,
    WITHDRAWN,
    Transition,
    action_label,
    allowed_actions,
    approve,
    archive,
    check_due_schedules,
    check_editable,
    hold,
    is_own_text,
    may_review,
    on_new_revision,
    own_text_reason,
    perform,
    publish,
    recall,
    reopen,
    request_changes,
    requirements_changed,
    schedule,
    state_label,
    submit,
    unschedule,
    withdraw,
)

__all__ = [
    "ACTIONS", "APPROVED", "ARCHIVED", "CHANGES_REQUESTED", "DRAFT", "EDITABLE", "EDITOR_APPROVES",
    "IN_REVIEW", "OTHER_ACTION_LABELS", "PUBLISHED", "SCHEDULED", "STATES", "STATE_LABELS",
    "TRANSITIONS", "UNCHANGED", "WITHDRAWN", "ApprovalExpired", "ApprovalStatus",
    "OrganisationApproval", "TodoItem", "Transition", "action_label", "allowed_actions",
    "approval_status", "approve", "archive", "changes_requested_note", "check_due_schedules",
    "check_editable", "close_requests", "has_approved", "hold", "is_own_text",
    "last_seen_revision", "mark_stale", "may_review", "on_new_revision", "open_requests_for",
    "open_review_requests", "overdue_reviews", "own_text_reason", "perform", "policy",
    "possible_reviewers", "previous_reviewers", "publish", "publish_gate", "recall", "reopen",
    "request_changes", "required_organisations", "requirements_changed", "schedule", "set_policy",
    "state_label", "submit", "todo", "todo_with_total", "unschedule", "update_review",
    "waiting_for_review", "withdraw",
]
