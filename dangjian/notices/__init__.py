"""Notices (通报): official documents issued from inspections and assessments, print-ready HTML and PDF in the GB/T 9704 layout."""
