"""The Persian language and calendars in one place: Jalali and Hijri dates, digits, amounts in
words, money, phones, national IDs, text normalisation and search keys.

Nothing here imports the rest of the kernel except :mod:`kernel.errors` (a leaf), so this
package reads first when the kernel is read bottom-up.
"""
