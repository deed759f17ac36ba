"""The public reading side: queries (selectors), FilterSets, the timeline's arithmetic
(layout), tables, exports and the views of the timeline, lists and pages."""
