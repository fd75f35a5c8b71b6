"""Pages of the list-based mechanism, one module per sub-domain: the tasks home
(`home`), assignments (`assignments`), their board (`board`), report-backs
(`report_backs`), pledges (`pledges`), monthly work meetings (`meetings`) and secretary
projects (`projects`); `common` holds what they share.

Every read starts from `tasks.selectors` (who may see which record, the same for pages, the
API and the exports); every write goes through `tasks.services`."""
