"""Supervision (督查): inspections of four kinds, weak organizations (软弱涣散), rectification ledgers (整改台账), red supervision orders (红色督办单), interviews (约谈)."""
