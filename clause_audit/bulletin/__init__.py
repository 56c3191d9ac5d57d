"""Clause-review bulletins (不公平格式条款点评报告) built from many audits."""
