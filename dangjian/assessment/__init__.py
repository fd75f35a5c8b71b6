"""Assessment (考核评议): indicator schemes, scores from the records and by hand, grades (分类定级), bottom ranking (倒排序)."""
