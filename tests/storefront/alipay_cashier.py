"""The local Alipay test gateway (tests/shop/alipay_gateway.py) with a cashier a browser
can use: the signed ``alipay.trade.wap.pay`` GET shows a page with a pay button and a
cancel link. Paying does what Alipay does: the trade succeeds, the signed asynchronous
notice is POSTed to the ``notify_url`` of the request (our /alipay/notify/) and the
browser is sent back to ``return_url`` with a signed query string. Cancelling goes back
to ``quit_url`` unsigned, as Alipay's cashier does."""

from __future__ import annotations

import html
import json
import urllib.parse
import urllib.request
from datetime import datetime

from tests.shop.alipay_gateway import LocalAlipayGateway, TradeClosed


class BrowserAlipayGateway(LocalAlipayGateway):
    def __init__(self, app_id: str, app_public_key: str):
        super().__init__(app_id, app_public_key)
        self.notice_answers: list[str] = []

    def open_cashier(self, params: dict) -> tuple[int, str]:
        action = params.get("cashier")
        if action == "pay":
            return self._pay_and_return(params.get("out_trade_no", ""))
        status, body = super().open_cashier(params)
        if status != 200:
            return status, body
        biz = json.loads(params["biz_content"])
        trade = self.trades[biz["out_trade_no"]]
        if trade["trade_status"] == "TRADE_CLOSED":
            return status, body
        trade["return_url"] = params.get("return_url", "")
        trade["quit_url"] = biz.get("quit_url") or trade["return_url"]
        pay = "?" + urllib.parse.urlencode({"cashier": "pay",
                                            "out_trade_no": biz["out_trade_no"]})
        return 200, f"""<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>支付宝</title>
<style>body{{font-family:sans-serif;margin:0;background:#f5f5f5}}header{{background:#1677ff;
color:#fff;padding:1rem;font-size:1.2rem}}main{{padding:1rem}}.amount{{font-size:2rem}}
a.pay{{display:block;text-align:center;background:#1677ff;color:#fff;padding:1rem;
border-radius:.5rem;text-decoration:none;font-size:1.1rem}}</style></head><body>
<header>支付宝 · 本地测试收银台</header><main><p>{html.escape(biz.get('subject', ''))}</p>
<p class="amount" id="amount">¥{html.escape(biz['total_amount'])}</p>
<p><a class="pay" id="pay" href="{html.escape(pay)}">确认付款</a></p>
<p><a id="cancel" href="{html.escape(trade['quit_url'])}">取消付款，返回商家</a></p>
</main></body></html>"""

    def _pay_and_return(self, out_trade_no: str) -> tuple[int, str]:
        trade = self.trades.get(out_trade_no)
        if trade is None:
            return 404, "<h1>交易不存在</h1>"
        try:
            notice = self.pay(out_trade_no)
        except TradeClosed:
            return 200, "<h1>交易已关闭</h1><p>该笔交易已关闭，请返回商家重新支付。</p>"
        data = urllib.parse.urlencode(notice).encode()
        with urllib.request.urlopen(trade["notify_url"], data=data, timeout=30) as answer:
            self.notice_answers.append(answer.read().decode())
        back = self.sign_notice({
            "app_id": self.app_id, "charset": "utf-8", "method": "alipay.trade.wap.pay.return",
            "out_trade_no": out_trade_no, "trade_no": trade["trade_no"],
            "total_amount": trade["total_amount"], "seller_id": "2088000000000000",
            "timestamp": datetime.now().strftime("%Y-%m-%d %H:%M:%S"), "version": "1.0",
            "sign_type": "RSA2"})
        url = trade["return_url"] + "?" + urllib.parse.urlencode(back)
        return 200, (f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" '
                     f'content="0;url={html.escape(url)}"><p>支付成功，正在返回商家…</p>')
