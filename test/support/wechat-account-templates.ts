/**
 * The Official Account's "My templates", as WeChat lists them (GET /cgi-bin/template/get_all_private_template:
 * template_id, title, and content with a {{keyword.DATA}} placeholder per keyword). Written for the contract
 * server independently of config/wechat-templates.json: a template id or keyword the service's file gets wrong
 * is answered as WeChat would (40037, 47003), not assumed right.
 */
export interface PrivateTemplate {
  template_id: string;
  title: string;
  content: string;
}

export const ACCOUNT_TEMPLATES: readonly PrivateTemplate[] = [
  { template_id: 'pAUEZu90Y4MNIqAZW839pQeV9ZUN7jOlSUCUCMPDKJw', title: '预订成功通知', content: "预订编号:{{character_string1.DATA}}\n航班号:{{character_string2.DATA}}\n出发城市:{{thing3.DATA}}\n到达城市:{{thing4.DATA}}\n起飞时间:{{time5.DATA}}" },
  { template_id: 'StJVcVoUYoDSHXIsXpoHimGOeM7oN8Z6f4mNAOSXGfU', title: 'Booking confirmed', content: "预订编号:{{character_string1.DATA}}\n航班号:{{character_string2.DATA}}\n出发城市:{{thing3.DATA}}\n到达城市:{{thing4.DATA}}\n起飞时间:{{time5.DATA}}" },
  { template_id: 'Y3LgLHZiCj0Rn0Dk1zIHIqjQWoVz5FpemjHqc1O2SMM', title: '行程变更通知', content: "预订编号:{{character_string1.DATA}}\n航班号:{{character_string2.DATA}}\n出发城市:{{thing3.DATA}}\n到达城市:{{thing4.DATA}}\n起飞时间:{{time5.DATA}}" },
  { template_id: 'Dv4g-teYmbfCINfmwtdR2xzM_m4t2-AgsEzAvCO9cXQ', title: 'Itinerary changed', content: "预订编号:{{character_string1.DATA}}\n航班号:{{character_string2.DATA}}\n出发城市:{{thing3.DATA}}\n到达城市:{{thing4.DATA}}\n起飞时间:{{time5.DATA}}" },
  { template_id: 'MzzhtvHc75ncl8fRKtwwOzUJjqMhSNWoQqdZBxONnQg', title: '订单取消通知', content: "预订编号:{{character_string1.DATA}}\n原因:{{thing2.DATA}}" },
  { template_id: 'oR2RG5hSwfCwLDEWYJxw_knA749V3W09mX_bnKhtrMI', title: 'Booking cancelled', content: "预订编号:{{character_string1.DATA}}\n原因:{{thing2.DATA}}" },
  { template_id: 'RhCby_AbD-YligtJWvj3eXzmBmIdXPe5nyQxgfn9BS8', title: '值机成功通知', content: "航班号:{{character_string1.DATA}}\n目的地:{{thing2.DATA}}\n起飞时间:{{time3.DATA}}\n座位:{{character_string4.DATA}}\n说明:{{thing5.DATA}}\n说明:{{thing6.DATA}}" },
  { template_id: 'VCdREPzE8SiE5RI5t97eLsO9Bw74L_xsAcP41aP_nyE', title: 'Check-in completed', content: "航班号:{{character_string1.DATA}}\n目的地:{{thing2.DATA}}\n起飞时间:{{time3.DATA}}\n座位:{{character_string4.DATA}}\n说明:{{thing5.DATA}}\n说明:{{thing6.DATA}}" },
  { template_id: 'YP9_K-XetcG5TEOMx9_HuXN0GGtF8wKE7QETnCgNWLg', title: '航班延误提醒', content: "航班号:{{character_string1.DATA}}\n目的地:{{thing2.DATA}}\n起飞时间:{{time3.DATA}}\n说明:{{thing4.DATA}}\n说明:{{thing5.DATA}}\n预计到达:{{thing6.DATA}}\n原因:{{thing7.DATA}}" },
  { template_id: 'ecpv5bkfm-GpS-9x9sYTBPZyY8UmnOjPfZ_PANp8QFk', title: 'Flight delay', content: "航班号:{{character_string1.DATA}}\n目的地:{{thing2.DATA}}\n起飞时间:{{time3.DATA}}\n说明:{{thing4.DATA}}\n说明:{{thing5.DATA}}\n预计到达:{{thing6.DATA}}\n原因:{{thing7.DATA}}" },
  { template_id: 'DdW0S4hSkbpEz-PNtWQhT-9ScDew8Dyjv9EJsLO2j7o', title: '登机口变更提醒', content: "航班号:{{character_string1.DATA}}\n起飞时间:{{time2.DATA}}\n说明:{{thing3.DATA}}\n说明:{{thing4.DATA}}\n原因:{{thing5.DATA}}" },
  { template_id: '6vsRAZVrCH6Iw5rUcH1IQUeIQSSygmbWxp4aCmK34qg', title: 'Gate change', content: "航班号:{{character_string1.DATA}}\n起飞时间:{{time2.DATA}}\n说明:{{thing3.DATA}}\n说明:{{thing4.DATA}}\n原因:{{thing5.DATA}}" },
  { template_id: 'CdQ5Mm-eCwvz3WoSRhLhDuhHk6zLiynl_12VwnMzEnM', title: '登机提醒', content: "航班号:{{character_string1.DATA}}\n说明:{{thing2.DATA}}\n说明:{{thing3.DATA}}\n说明:{{thing4.DATA}}\n原因:{{thing5.DATA}}" },
  { template_id: 'e4jeNK0EknfHR5pjgt02dDwmzgVApOl17-IKMDWdE4M', title: 'Boarding started', content: "航班号:{{character_string1.DATA}}\n说明:{{thing2.DATA}}\n说明:{{thing3.DATA}}\n说明:{{thing4.DATA}}\n原因:{{thing5.DATA}}" },
  { template_id: 'NfM_FQETyFN8B8kzW9vqho6ywfORSq59IQo5sO1gb7Q', title: '航班取消通知', content: "航班号:{{character_string1.DATA}}\n原定起飞时间:{{time2.DATA}}\n原因:{{thing3.DATA}}\n说明:{{thing4.DATA}}" },
  { template_id: 'NlUo6Ef77f4wV01a9U__624VNelszSJVtn9AdRP1dyg', title: 'Flight cancelled', content: "航班号:{{character_string1.DATA}}\n原定起飞时间:{{time2.DATA}}\n原因:{{thing3.DATA}}\n说明:{{thing4.DATA}}" },
  { template_id: 'MO-MPZVQke8SwPvyTtTImwRmFA5ITY3Oe-a9jXSYw_4', title: '航班备降通知', content: "航班号:{{character_string1.DATA}}\n备降机场:{{thing2.DATA}}\n目的地:{{thing3.DATA}}\n原因:{{thing4.DATA}}" },
  { template_id: '89Tv4HUbuEUDVBjrfWDOqdAnkio-Sv9zUMujeSSuBHQ', title: 'Flight diverted', content: "航班号:{{character_string1.DATA}}\n备降机场:{{thing2.DATA}}\n目的地:{{thing3.DATA}}\n原因:{{thing4.DATA}}" },
  { template_id: 'FelU9wZ1EjUew-gNK-dxbis1fT78rXW2g2WZFmD-P7g', title: '行李转盘提醒', content: "航班号:{{character_string1.DATA}}\n行李转盘:{{character_string2.DATA}}\n目的地:{{thing3.DATA}}" },
  { template_id: 'KXrdP1NymJtfbu7A0n6zbuG8JbfJZGuclUA5FCQ8H1M', title: 'Baggage belt', content: "航班号:{{character_string1.DATA}}\n行李转盘:{{character_string2.DATA}}\n目的地:{{thing3.DATA}}" },
  { template_id: 'UG0gTLMW-kZiGHSs6VmTTlLIIU9iqmNiOFKBnzxDN2g', title: '值机开放提醒', content: "航班号:{{character_string1.DATA}}\n目的地:{{thing2.DATA}}\n起飞时间:{{time3.DATA}}\n预订编号:{{character_string4.DATA}}" },
  { template_id: 'LAZh_kEjEQgae0ZqIti0ZUxMtF8JQduLpRJfNcIV7P4', title: 'Check-in open', content: "航班号:{{character_string1.DATA}}\n目的地:{{thing2.DATA}}\n起飞时间:{{time3.DATA}}\n预订编号:{{character_string4.DATA}}" },
];

/** The keyword names a template's content has, in order. */
export function templateKeywords(template: PrivateTemplate): string[] {
  return [...template.content.matchAll(/\{\{([a-z_]+\d+)\.DATA\}\}/g)].map((m) => m[1]);
}
