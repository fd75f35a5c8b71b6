from django import template

from dangjian.dues.rules import fen_to_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen as yuan with two decimals: 300001 → 3000.01."""
    return "" if fen in (None, "") else fen_to_yuan(int(fen))
