from django.db import models


class Level(models.TextChoices):
    """属地: the city and its six county-level areas, each keeping its own lists."""

    CITY = "city", "市本级"
    XINGBIN = "xingbin", "兴宾区"
    HESHAN = "heshan", "合山市"
    XIANGZHOU = "xiangzhou", "象州县"
    WUXUAN = "wuxuan", "武宣县"
    XINCHENG = "xincheng", "忻城县"
    JINXIU = "jinxiu", "金秀瑶族自治县"


COUNTY_LEVELS = [level for level in Level if level != Level.CITY]
