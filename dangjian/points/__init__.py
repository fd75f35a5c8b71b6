"""Points (积分): a county's points scheme fed only from records already in the system; points per member and organization."""
