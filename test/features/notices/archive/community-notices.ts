/**
 * Thirty-one notices as this community writes them (water and power cuts, heating, garbage sorting,
 * meetings, the fund's accounts, the elevator…), a few in English, and the questions residents
 * ask with the notice that answers each. The search measurement (bench/notice-search.ts) and the
 * archive's search tests read the same list.
 */

export interface SampleNotice {
  /** A name for tests; never shown. */
  key: string;
  kind: 'notice' | 'disclosure';
  locale: string;
  title: string;
  body: string;
  versions?: Record<string, { title: string; body: string }>;
}

export const SAMPLE_NOTICES: readonly SampleNotice[] = [
  { key: 'water_cut', kind: 'notice', locale: 'zh-CN', title: '停水通知', body: '因市政管网改造，12月10日（周四）8:00至18:00，团结巷、光明巷全体住户停水。请提前储备生活用水，来水初期水质浑浊请放流片刻。' },
  { key: 'power_cut', kind: 'notice', locale: 'zh-CN', title: '计划停电通知', body: '供电公司检修线路，12月12日9:00至15:00，平房区一区至三区停电。请关闭大功率电器，电梯暂停运行，如遇紧急情况拨打95598。' },
  { key: 'heating', kind: 'notice', locale: 'zh-CN', title: '2026年冬季供暖开始', body: '本年度供暖自11月15日起至次年3月15日止。请各户检查暖气片阀门，如暖气不热请报修，供热站电话见公告栏。' },
  { key: 'garbage', kind: 'notice', locale: 'zh-CN', title: '垃圾分类投放新规', body: '自下月起实行垃圾分类定时定点投放：厨余垃圾、可回收物、有害垃圾、其他垃圾分别投放，每天7:00-9:00、18:00-20:00开放投放点。' },
  { key: 'water_fee', kind: 'notice', locale: 'zh-CN', title: '第四季度水费缴纳', body: '第四季度水费已出账单，请于12月25日前到社区服务站或线上缴纳，逾期将产生滞纳金。' },
  { key: 'owners_meeting', kind: 'notice', locale: 'zh-CN', title: '居民代表大会召开通知', body: '定于12月18日19:00在社区活动室召开居民代表大会，讨论停车位划分和楼道照明改造，请各户派代表参加。' },
  { key: 'fund_november', kind: 'disclosure', locale: 'zh-CN', title: '【居务公开】物业基金11月收支', body: '11月收入：住户缴费3,200元；支出：公共照明维修850元，清运费1,200元；月末余额12,430元。' },
  { key: 'epidemic', kind: 'notice', locale: 'zh-CN', title: '流感高发季防护提示', body: '近期流感高发，请老人和儿童尽量减少去人群密集场所，出现发热症状请及时就医，社区卫生服务站提供免费疫苗接种。' },
  { key: 'elevator', kind: 'notice', locale: 'zh-CN', title: '3号楼电梯维修保养', body: '3号楼电梯将于12月9日进行年度维修保养，停运约4小时，请住户走楼梯，给您带来不便敬请谅解。' },
  { key: 'parking', kind: 'notice', locale: 'zh-CN', title: '车辆停放管理通知', body: '为保障消防通道畅通，即日起禁止在巷道内停放车辆，请将车辆停放至指定停车场。' },
  { key: 'fire_drill', kind: 'notice', locale: 'zh-CN', title: '冬季消防演练', body: '12月20日上午10点在中心广场举行消防演练，演示灭火器使用方法，欢迎居民参加。冬季取暖注意用火用电安全。' },
  { key: 'gas_check', kind: 'notice', locale: 'zh-CN', title: '燃气安全入户检查', body: '燃气公司工作人员将于12月14日至16日入户检查燃气管道和灶具，请家中留人，检查人员持证上岗，不收取任何费用。' },
  { key: 'committee_decision', kind: 'disclosure', locale: 'zh-CN', title: '【公开】关于更换巷道路灯的决定', body: '经居委会讨论并征求居民意见，决定使用物业基金更换光明巷路灯12盏，预算4,800元，施工时间12月。' },
  { key: 'library', kind: 'notice', locale: 'zh-CN', title: '社区图书室开放时间调整', body: '社区图书室自12月起每周二至周日9:00-17:00开放，周一闭馆整理图书。' },
  { key: 'vaccination', kind: 'notice', locale: 'zh-CN', title: '老年人健康体检', body: '65岁以上老年人可于12月每周三到社区卫生服务站免费体检，请携带身份证和医保卡。' },
  { key: 'pipe_freeze', kind: 'notice', locale: 'zh-CN', title: '防冻提示：请保护好水管', body: '近日气温骤降，请包裹室外水表和水管，夜间可保持水龙头少量滴水，防止冻裂。' },
  { key: 'network', kind: 'notice', locale: 'zh-CN', title: '宽带线路升级', body: '电信公司将于12月11日夜间升级光纤线路，0:00至4:00网络中断。' },
  { key: 'fund_october', kind: 'disclosure', locale: 'zh-CN', title: '【居务公开】物业基金10月收支', body: '10月收入：住户缴费3,100元；支出：下水道疏通600元；月末余额11,280元。' },
  { key: 'volunteer', kind: 'notice', locale: 'zh-CN', title: '招募扫雪志愿者', body: '入冬后如遇降雪，需要志愿者清扫巷道积雪，有意者请到居委会报名。' },
  { key: 'pets', kind: 'notice', locale: 'zh-CN', title: '文明养犬倡议', body: '请养犬居民出门牵绳，及时清理犬只粪便，为犬只办理登记并接种狂犬疫苗。' },
  { key: 'rent_subsidy', kind: 'notice', locale: 'zh-CN', title: '低保家庭冬季取暖补贴申请', body: '低保和特困家庭可申请冬季取暖补贴，请于12月20日前携带材料到社区服务站办理。' },
  { key: 'repair_road', kind: 'notice', locale: 'zh-CN', title: '团结巷路面施工', body: '团结巷路面12月8日至12日施工修补坑洼，施工期间请绕行，注意安全。' },
  { key: 'mail', kind: 'notice', locale: 'zh-CN', title: '快递柜启用', body: '中心广场新设智能快递柜已启用，取件码通过短信发送，超过48小时将收取保管费。' },
  { key: 'election', kind: 'notice', locale: 'zh-CN', title: '居委会换届选举选民登记', body: '居委会换届选举选民登记自12月15日开始，年满18周岁的本社区居民请到居委会登记。' },
  { key: 'water_quality', kind: 'notice', locale: 'zh-CN', title: '二次供水水箱清洗', body: '12月22日清洗二次供水水箱，当天水压可能偏低，清洗后水质检测报告将张贴在公告栏。' },
  { key: 'heating_fee', kind: 'notice', locale: 'zh-CN', title: '取暖费缴纳提醒', body: '本采暖季取暖费请于11月30日前缴纳，按建筑面积每平方米25元收取。' },
  { key: 'faq', kind: 'notice', locale: 'zh-CN', title: '物业服务常见问题解答', body: '什么时候可以报修？全天都可以在群里或服务站报修。怎么缴费？线上线下都可以。有问题怎么办？请联系社区办公室。' },
  {
    key: 'en_water_cut',
    kind: 'notice',
    locale: 'en',
    title: 'Water supply interruption in Guangming Lane',
    body: 'Because of pipe repairs, Guangming Lane will have no water on 15 December from 9:00 to 13:00. Please store water in advance.',
  },
  {
    key: 'en_elevator',
    kind: 'notice',
    locale: 'en',
    title: 'Elevator out of service in Building 5',
    body: 'The elevator in Building 5 is out of service for inspection on Friday. Please use the stairs.',
  },
  {
    key: 'recycling',
    kind: 'notice',
    locale: 'zh-CN',
    title: '旧衣物回收活动',
    body: '12月19日在中心广场回收旧衣物和旧电器，可兑换生活用品。',
    versions: { en: { title: 'Old clothes recycling day', body: 'On 19 December old clothes and old appliances are collected on the central square and can be exchanged for household goods.' } },
  },
  {
    key: 'festival',
    kind: 'notice',
    locale: 'zh-CN',
    title: '元旦联欢会',
    body: '12月31日晚在社区活动室举办元旦联欢会，欢迎居民报名表演节目。',
    versions: { en: { title: 'New Year party', body: 'A New Year party is held in the community hall on the evening of 31 December; residents are welcome to perform.' } },
  },
];

/** What residents type, the notice that must come first, and notices that must not appear at all. */
export const SAMPLE_QUESTIONS: readonly { query: string; first: string; never?: readonly string[] }[] = [
  { query: '什么时候停水？', first: 'water_cut', never: ['power_cut'] },
  { query: '停水', first: 'water_cut', never: ['power_cut'] },
  { query: '停电', first: 'power_cut', never: ['water_cut'] },
  { query: '什么时候停电啊', first: 'power_cut', never: ['water_cut'] },
  { query: '暖气什么时候来', first: 'heating' },
  { query: '供暖', first: 'heating' },
  { query: '垃圾分类', first: 'garbage' },
  { query: '垃圾怎么分类？', first: 'garbage' },
  { query: '水费', first: 'water_fee', never: ['power_cut'] },
  { query: '电梯坏了吗', first: 'elevator' },
  { query: '什么时候开大会', first: 'owners_meeting' },
  { query: '居民代表大会', first: 'owners_meeting' },
  { query: '基金收支', first: 'fund_november' },
  { query: '流感', first: 'epidemic' },
  { query: '燃气检查', first: 'gas_check' },
  { query: '路灯', first: 'committee_decision' },
  { query: 'water', first: 'en_water_cut' },
  { query: 'When is the water cut?', first: 'en_water_cut' },
  { query: 'elevators', first: 'en_elevator' },
  { query: 'recycling', first: 'recycling' },
  { query: '宽带断网', first: 'network' },
];
