/**
 * Name material for the synthetic demo community: data, not interface text. Han surnames with
 * rough frequency weights and given-name characters; and, because more than half of the seed
 * community's residents belong to ethnic minorities (docs/domain.md), Uyghur given names as they
 * are written in Chinese characters (a person's name, "·", the father's name). Nobody real is
 * meant: names are combined at random.
 */

/** Common Han surnames, most frequent first, with a weight roughly following their frequency. */
export const SURNAMES: readonly (readonly [surname: string, weight: number])[] = [
  ['王', 72], ['李', 71], ['张', 69], ['刘', 55], ['陈', 45], ['杨', 32], ['黄', 24], ['赵', 22],
  ['吴', 20], ['周', 20], ['徐', 15], ['孙', 15], ['马', 15], ['朱', 14], ['胡', 13], ['郭', 12],
  ['何', 12], ['林', 11], ['高', 11], ['罗', 10], ['郑', 10], ['梁', 9], ['谢', 8], ['宋', 7],
  ['唐', 7], ['许', 7], ['韩', 7], ['邓', 6], ['冯', 6], ['曹', 6], ['彭', 6], ['曾', 5],
  ['肖', 5], ['田', 5], ['董', 5], ['潘', 4], ['袁', 4], ['蔡', 4], ['蒋', 4], ['余', 4],
  ['于', 4], ['杜', 4], ['叶', 4], ['程', 4], ['魏', 4], ['苏', 3], ['吕', 3], ['丁', 3],
  ['任', 3], ['卢', 3], ['姚', 3], ['沈', 3], ['钟', 3], ['姜', 3], ['崔', 3], ['谭', 3],
  ['陆', 3], ['范', 3], ['汪', 3], ['廖', 3], ['石', 3], ['金', 3], ['韦', 3], ['贾', 3],
  ['夏', 2], ['付', 2], ['方', 2], ['邹', 2], ['熊', 2], ['白', 2], ['孟', 2], ['秦', 2],
  ['邱', 2], ['侯', 2], ['江', 2], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2],
  ['龙', 2], ['黎', 2], ['史', 2], ['陶', 2], ['贺', 2], ['毛', 2], ['郝', 2], ['顾', 2],
  ['龚', 1], ['邵', 1], ['万', 1], ['覃', 1], ['武', 1], ['钱', 1], ['戴', 1], ['严', 1],
  ['莫', 1], ['孔', 1], ['向', 1], ['常', 1], ['汤', 1], ['康', 1], ['易', 1], ['乔', 1],
];

/** Given-name characters more often chosen for boys. */
export const GIVEN_MALE: readonly string[] = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞',
  '鑫', '波', '宁', '凯', '健', '亮', '峰', '俊', '浩', '文', '建', '国', '志', '海', '东', '林',
  '宇', '晨', '博', '阳', '龙', '新', '庆', '成', '永', '春', '旭', '振', '德', '忠', '学', '保',
];

/** Given-name characters more often chosen for girls. */
export const GIVEN_FEMALE: readonly string[] = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '玲', '桂', '兰', '梅', '燕', '萍',
  '红', '莉', '琳', '婷', '雪', '慧', '颖', '倩', '洁', '佳', '欣', '悦', '玉', '珍', '凤', '琴',
  '瑶', '蕾', '薇', '晶', '月', '彤', '雨', '思', '嘉', '梦', '丹', '萱', '云', '淑', '华', '荣',
];

/** Uyghur given names for men, in their usual Chinese-character spelling. */
export const UYGHUR_MALE: readonly string[] = [
  '买买提', '艾力', '阿不都', '吐尔逊', '努尔', '艾买提', '依明', '热合曼', '玉素甫', '阿迪力',
  '艾尔肯', '麦麦提', '卡德尔', '亚森', '吾斯曼', '肉孜', '塔依尔', '阿布力孜', '伊力哈木', '库尔班',
];

/** Uyghur given names for women, in their usual Chinese-character spelling. */
export const UYGHUR_FEMALE: readonly string[] = [
  '阿依古丽', '古丽娜尔', '热依拉', '帕提古丽', '迪丽拜尔', '阿依努尔', '米热古丽', '祖丽胡玛尔', '努尔古丽', '海丽切姆',
  '阿孜古丽', '布韦', '再努尔', '莎妮娅', '古再丽', '玛依拉', '阿娜尔', '排孜拉', '茹仙古丽', '图尔荪',
];
