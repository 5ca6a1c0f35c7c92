"""DEV-03: the GSM modem driver's PDUs (3GPP 23.040). The worked examples everyone checks against
(the "hellohello" SMS-SUBMIT and SMS-DELIVER of the GSM 03.40 tutorials) decode and encode to
the same octets; any Persian or GSM-7 text splits into the parts marketing bills for and comes
back whole, and an independent decoder (``smspdudecoder``) reads our PDUs the same way; a
delivery report's status becomes delivered, pending or failed as 23.040 §9.2.3.15 says."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smspdudecoder.easy import read_incoming_sms, read_outgoing_sms

from devices.gsm import gsm7, pdu
from devices.gsm.at import BARRED, NETWORK_BUSY, PIN_NEEDED, RECIPIENT_REFUSED, error_of
from modules.marketing.sms_parts import GSM_BASIC, GSM_EXTENDED, count_parts

# SMS-SUBMIT of "hellohello" to +46708251358, validity AA (4 days), no SMSC; and an SMS-DELIVER
# of the same text from 27838890001 through +27381000015, stamped 99-03-29 15:16:59 +02:00.
KNOWN_SUBMIT = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37"
KNOWN_DELIVER = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37"

PERSIAN = st.text(alphabet=st.sampled_from(list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئ ءًٌٍَُِّ،؛؟۰۱۲۳۴۵۶۷۸۹\u200c.!")),
                  min_size=1, max_size=400).filter(lambda t: not gsm7.encodable(t))
GSM_TEXT = st.text(alphabet=st.sampled_from(sorted(GSM_BASIC | GSM_EXTENDED)), min_size=1, max_size=500)


def _theirs_agree(theirs: str, ours: str, hex_pdu: str) -> bool:
    """``smspdudecoder`` counts septets from the octets, not from TP-UDL (23.040 §9.2.3.16): when
    seven bits are left over in the last octet it reads one ``@`` (septet 0) more. That one
    case aside, it must read exactly our text."""
    return theirs == ours or (theirs == ours + "@" and _seven_spare_bits(hex_pdu))


def _seven_spare_bits(hex_pdu: str) -> bool:
    message = pdu.decode(hex_pdu)
    header = 7 if getattr(message, "concat", None) else 0  # 6 octets of UDH and 1 fill bit = 7 septets
    septets = header + len(gsm7.to_septets(message.text))  # type: ignore[union-attr]
    return septets * 7 % 8 == 1


def test_the_known_submit_pdu_decodes_and_is_encoded_octet_for_octet() -> None:
    message = pdu.decode(KNOWN_SUBMIT)
    assert message == pdu.Submit("+46708251358", "hellohello", pdu.GSM, None, False, 0)
    assert pdu.submit("+46708251358", "hellohello", pdu.GSM, status_report=False, validity=0xAA) == (
        KNOWN_SUBMIT, len(KNOWN_SUBMIT) // 2 - 1)


def test_the_known_deliver_pdu_decodes_with_its_sender_and_time_in_utc() -> None:
    assert pdu.decode(KNOWN_DELIVER) == pdu.Deliver("27838890001", "hellohello", dt.datetime(1999, 3, 29, 13, 16, 59),
                                                    None)


@settings(max_examples=150, deadline=None)
@given(PERSIAN)
def test_any_persian_text_goes_in_the_parts_it_is_billed_for_and_comes_back_whole(text: str) -> None:
    submits = pdu.submits("+989121234567", text, ref=200)
    assert len(submits) == count_parts(text).parts
    decoded = [pdu.decode(h) for h, _ in submits]
    assert all(isinstance(d, pdu.Submit) and d.encoding == pdu.UCS2 and d.status_report for d in decoded)
    assert "".join(d.text for d in decoded if isinstance(d, pdu.Submit)) == text
    assert [read_outgoing_sms(h)["content"] for h, _ in submits] == [
        d.text for d in decoded if isinstance(d, pdu.Submit)]
    if len(submits) > 1:
        assert [d.concat for d in decoded if isinstance(d, pdu.Submit)] == [
            pdu.Concat(200, len(submits), i + 1) for i in range(len(submits))]
    for h, length in submits:
        assert length == len(h) // 2 - 1 and length <= 140 + 12  # TPDU header + at most 140 octets of data


@settings(max_examples=150, deadline=None)
@given(GSM_TEXT)
def test_any_gsm7_text_goes_in_the_parts_it_is_billed_for_and_comes_back_whole(text: str) -> None:
    submits = pdu.submits("+989121234567", text, ref=7)
    assert len(submits) == count_parts(text).parts
    decoded = [pdu.decode(h) for h, _ in submits]
    assert "".join(d.text for d in decoded if isinstance(d, pdu.Submit)) == text
    assert all(len(gsm7.to_septets(d.text)) <= (153 if len(submits) > 1 else 160)
               for d in decoded if isinstance(d, pdu.Submit))
    assert all(_theirs_agree(read_outgoing_sms(h)["content"], d.text, h)
               for (h, _), d in zip(submits, decoded, strict=True) if isinstance(d, pdu.Submit))


@settings(max_examples=100, deadline=None)
@given(st.one_of(PERSIAN, GSM_TEXT), st.integers(0, 255))
def test_a_received_part_decodes_as_an_independent_decoder_reads_it(text: str, ref: int) -> None:
    at = dt.datetime(2026, 12, 7, 9, 30, 15)
    part = pdu.split(text)[1][0]
    hex_pdu = pdu.deliver("+989351112233", part, at, pdu.Concat(ref, 2, 1))
    ours = pdu.decode(hex_pdu)
    theirs = read_incoming_sms(hex_pdu)
    assert ours == pdu.Deliver("+989351112233", part, at, pdu.Concat(ref, 2, 1))
    assert _theirs_agree(theirs["content"], part, hex_pdu)
    assert (theirs["sender"], theirs["partial"]["part_number"]) == ("+989351112233", 1)
    assert theirs["date"].replace(tzinfo=None) == at


@pytest.mark.parametrize(("status", "state"), [(0x00, "delivered"), (0x01, "delivered"), (0x20, "pending"),
                                               (0x30, "pending"), (0x41, "failed"), (0x60, "failed")])
def test_a_status_report_names_the_reference_the_recipient_and_the_outcome(status: int, state: str) -> None:
    sent, done = dt.datetime(2026, 12, 7, 9, 0, 0), dt.datetime(2026, 12, 7, 9, 0, 40)
    report = pdu.decode(pdu.status_report(77, "+989121234567", sent, done, status))
    assert report == pdu.StatusReport(77, "+989121234567", sent, done, status)
    assert isinstance(report, pdu.StatusReport) and report.state == state


def test_an_extension_character_is_never_cut_from_its_escape() -> None:
    text = "a" * 152 + "€" + "b" * 10
    encoding, parts = pdu.split(text)
    assert encoding == pdu.GSM and parts[0] == "a" * 152 and parts[1].startswith("€")


@pytest.mark.parametrize(("line", "reason", "retry", "per_message"), [
    ("+CMS ERROR: 1", RECIPIENT_REFUSED, False, True),
    ("+CMS ERROR: 42", NETWORK_BUSY, True, False),
    ("+CMS ERROR: 8", BARRED, False, False),
    ("+CMS ERROR: 311", PIN_NEEDED, True, False),
    ("+CME ERROR: 11", PIN_NEEDED, True, False),
])
def test_modem_errors_become_a_reason_and_whether_to_try_again(line: str, reason: str, retry: bool,
                                                                 per_message: bool) -> None:
    error = error_of(line)
    assert (error.reason, error.retry, error.per_message, error.code) == (reason, retry, per_message, line)


def test_not_a_pdu_is_refused_clearly() -> None:
    with pytest.raises(pdu.PduError):
        pdu.decode("00110")
    with pytest.raises(pdu.PduError):
        pdu.decode("0011000B91640728")
