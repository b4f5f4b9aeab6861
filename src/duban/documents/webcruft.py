"""Drop web-page cruft (login links, share buttons, counters, copyright lines) around the body.

Only the leading and trailing regions are touched: the scan from each end drops cruft lines,
keeps short lines that are not cruft (titles, signatures, metadata fields) and stops at the
first line of body text. Lines in the body are never removed.
"""

from __future__ import annotations

import re

from duban.documents.cleaning import CJK

# Words and phrases of web UI (forums, government sites, news sites, app download banners).
_UI_WORDS = """
找回密码 忘记密码 免费注册 立即注册 注册 登录 登陆 退出 快速开始 只需一步 微信登录 微博登录 扫码登录
用户名 密码 自动登录 个人中心 您需要登录后才可以回帖 登录后才可以 才可以回帖 回帖
查看 回复 上一主题 下一主题 上一篇 下一篇 复制链接 跳转到指定楼层 楼主 沙发 板凳 地板 只看该作者
回帖奖励 倒序浏览 正序浏览 阅读模式 使用道具 举报 本版积分规则 积分规则 最新主题 快速回复 返回顶部
返回列表 发表于 发表回复 帖子 主题 精华 积分 电梯直达 显示全部楼层 本帖最后由 编辑 本版 发新帖 发帖
分享到 分享 收藏 点赞 顶 踩 转发 评论 QQ好友和群 QQ空间 腾讯微博 腾讯朋友 新浪微博 微信 微博 朋友圈
QQ 人人网 豆瓣
打印 打印本页 关闭 关闭窗口 关闭本页 字体大小 字号 字体 大 中 小 默认 放大 缩小 扫一扫 扫描下载
请用浏览器扫描下载 在手机打开 手机版 手机扫码 二维码 客户端 下载 浏览器 请用 当前页 当前位置 您的位置
您现在的位置 首页 网站首页 网站地图 联系我们 关于我们 设为首页 加入收藏 纠错 我要纠错 浏览次数 浏览量
阅读量 阅读数 点击数 点击量 访问量 次 人阅读 来源 作者 发布时间 更新时间 无障碍 长者模式 繁体 简体
English RSS 搜索 检索 高级检索 TOP top
政务公开 信息公开 政府信息公开 新闻中心 新闻动态 通知公告 机构概况 机构设置 网上办事 办事服务 互动交流
公众参与 专题专栏 政策法规 政策解读 领导信息 领导之窗 教育动态 工作动态 图片新闻 视频新闻 更多
隐私声明 网站声明 法律声明 使用帮助 找错 政府网站找错 适老化 无障碍浏览 访问者 访客
"""
_UI_TERMS = sorted(set(_UI_WORDS.split()), key=len, reverse=True)
_UI_RE = re.compile("|".join(re.escape(t) for t in _UI_TERMS))
_NOISE_RE = re.compile(r"[\sA-Za-z0-9_.,:;|/\\()\[\]{}<>@#%&*+=\-~!?'\"【】（）：，。；、|｜·•»«›‹>→…]+")
_SITE_NAME = re.compile(
    f"^[{CJK}A-Za-z0-9]{{2,24}}(?:网|网站|论坛|社区|客户端|门户|在线|频道|家园|之家|平台|App|APP)$"
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|\(C\)|Copyright|copyright|版权所有|版权声明|All Rights Reserved|技术支持|网站标识码|"
    r"[\u4e00-\u9fff]{0,4}ICP备|[\u4e00-\u9fff]{0,4}公网安备|Powered by|主办单位|承办单位|主办[:：]|承办[:：])"
    r"|ICP备\d|公网安备\s*\d|All Rights Reserved|版权所有"
)
_TIMEZONE = re.compile(r"^(?:GMT|UTC)\s*[+-]?\d")
_EDITOR_LABEL = re.compile(
    r"^[【\[(（]?(?:责任编辑|编辑|审核|审校|校对|作者|摄影|通讯员|浏览次数|点击数|阅读量|阅读数|字号)"
    r"[】\])）]?\s*[:：]"
)
# Links to other pages ("上一篇：关于…的通知") name other documents: never part of this one.
_OTHER_PAGE = re.compile(
    r"^[【\[]?(?:上一篇|下一篇|上一条|下一条|上一主题|下一主题|上一页|下一页)[】\]]?\s*[:：]"
)
# A line of page facts: two or more of 来源：/发布时间：/浏览次数：… (a page date is not an issuing date).
_PAGE_FACT = re.compile(
    r"(?:来源|信息来源|文章来源|发布时间|发布日期|更新时间|浏览次数|浏览量|点击数|点击量|点击|阅读量|阅读|访问量|"
    r"作者|编辑|责任编辑|字号|字体)\s*[:：]"
)
_CONTACT = re.compile(
    r"(?:地址|邮编|邮政编码|电话|联系电话|传真|邮箱|电子邮箱|E-?mail)\s*[:：]", re.IGNORECASE
)
_EMPTY_LABEL = re.compile(r"^(?:附件|相关附件|相关链接|相关文件|关键词|标签|Tags?)\s*[:：]?$")
_UI_SENTENCE = re.compile(
    r"(?:如果|若|如)您对.{0,20}(?:疑问|意见|建议)|网上咨询|扫一扫|扫描二维码|长按识别|关注我们|关注公众号|"
    r"请使用.{0,10}浏览器|浏览器版本过低|建议使用.{0,20}浏览|分辨率|本站.{0,10}(?:转载|声明)|"
    r"您是第.{0,12}位(?:访问者|访客)|转载请注明|(?:未经|非经).{0,10}(?:许可|授权).{0,10}(?:转载|复制)|免责声明|"
    r"您需要登录|请先登录|登录后(?:才)?可以|推荐阅读|相关阅读|相关推荐|猜你喜欢|热门文章|最新文章"
)
# Document metadata fields of a government page: kept even though they sit in the cruft zone.
_METADATA = re.compile(
    r"^[•·●\-*]?\s*(?:索引号|主题分类|成文日期|发布日期|发文字号|文号|发文单位|发文机关|发布机构|"
    r"有效性|规范性文件登记号|标题|主题词|公开方式|生效日期|废止日期)"
)
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百0-9]+[）)]|\d{1,3}[、.．](?!\d)|"
    r"第[一二三四五六七八九十百0-9]+[章节部分条])"
)
_SENTENCE_END = re.compile("[。；！？!;…]$|[。！？][”’」』）)]$")
_CJK_RE = re.compile(f"[{CJK}]")

_MAX_SCAN = 80
# "57" or "57 |" alone: a table row's number when text follows it, else a page number
_ROW_NUMBER = re.compile(r"^\d{1,3}\s*[|｜]?$")


def is_cruft(line: str) -> bool:
    """True when a (stripped) line is web UI, a counter, a copyright or similar page furniture."""
    s = line.strip()
    if not s:
        return False
    if _METADATA.match(s) or _NUMBERED.match(s):
        return False
    if len(s) > 120:
        return False
    if _COPYRIGHT.search(s) or _TIMEZONE.match(s) or _EDITOR_LABEL.match(s) or _EMPTY_LABEL.match(s):
        return True
    if _UI_SENTENCE.search(s) and len(s) <= 80:
        return True
    if _OTHER_PAGE.match(s) or len(_PAGE_FACT.findall(s)) >= 2:
        return True
    if _CONTACT.match(s) and len(_CONTACT.findall(s)) >= 2:
        return True
    compact = s.replace(" ", "").replace("\u3000", "")
    if _SITE_NAME.match(compact) or (len(s) <= 40 and _SITE_NAME.match(_NOISE_RE.sub("", compact))):
        return True
    if len(s) > 60:
        return False
    terms = _UI_RE.findall(compact)
    singles = [t for t in terms if len(t) == 1]
    leftover = _NOISE_RE.sub("", _UI_RE.sub("", compact))
    # Single-character terms (大 中 小, 顶 踩) count only when the line is nothing else.
    has_term = len(singles) < len(terms) or (len(singles) >= 2 and not leftover)
    if has_term and len(leftover) <= 1:
        return True
    if has_term and _SITE_NAME.match(leftover):
        return True
    # Lines of short segments split by '|' that are all web vocabulary or counters.
    if "|" in s:
        segments = [seg.strip() for seg in re.split(r"[|｜]", s) if seg.strip()]
        if segments and all(len(_NOISE_RE.sub("", _UI_RE.sub("", seg))) <= 1 for seg in segments):
            return True
    # No CJK at all and not a date: a version string, a URL, a counter.
    return not _CJK_RE.search(s) and not re.fullmatch(r"[\d\s年月日./\-:：]+", s) and len(s) <= 40


def _is_body(line: str) -> bool:
    s = line.strip()
    if _NUMBERED.match(s):
        return True
    return len(s) >= 60 or (len(s) >= 20 and bool(_SENTENCE_END.search(s)))


def _row_number(lines: list[str], i: int) -> bool:
    """ "57 |" alone with text after it: a table row's number (its cells follow), not a counter."""
    if not _ROW_NUMBER.match(lines[i].strip()):
        return False
    nxt = next((x for x in lines[i + 1 :] if x.strip()), "")
    return bool(nxt) and not is_cruft(nxt) and not _ROW_NUMBER.match(nxt.strip())


def strip_web_cruft(text: str) -> tuple[str, int]:
    """Drop cruft lines in the leading and trailing regions; return the text and how many were dropped."""
    lines = text.split("\n")
    drop: set[int] = set()

    for i, line in enumerate(lines[:_MAX_SCAN]):
        if not line.strip():
            continue
        if is_cruft(line) and not _row_number(lines, i):
            drop.add(i)
        elif _is_body(line):
            head_end = i
            break
    else:
        head_end = min(len(lines), _MAX_SCAN)

    for offset, line in enumerate(reversed(lines)):
        i = len(lines) - 1 - offset
        if i <= head_end or offset >= _MAX_SCAN:
            break
        if not line.strip():
            continue
        if is_cruft(line) and not _row_number(lines, i):
            drop.add(i)
        elif _is_body(line):
            break

    if not drop:
        return text, 0
    kept = [line for i, line in enumerate(lines) if i not in drop]
    # Collapse the blank lines left behind at both ends.
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept), len(drop)
