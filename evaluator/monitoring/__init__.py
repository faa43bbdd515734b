"""Follow-up monitoring of awarded projects: the monitoring rubric (``kind = "monitoring"``), the
program's monitoring plan, visits assigned to visitors, recorded in the field and merged back from
signed packages (``docs/follow-up.md``)."""
