"""Village governance (村务): major matters through four deliberations and two disclosures
(四议两公开), the service station's office hours (坐班制), and the village's public page."""
