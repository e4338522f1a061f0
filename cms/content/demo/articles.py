"""Demo articles for seed_demo: Vietnamese content about the 2024 Law on
Social Insurance.

Data only; seed_demo turns each entry into an ArticlePage with a generated cover.
"""

ARTICLES = [
    {
        "slug": "bon-nhom-lao-dong-moi-tham-gia-bhxh-bat-buoc",
        "title": (
            "Bốn nhóm lao động mới thuộc diện tham gia BHXH bắt buộc: bạn có nằm trong "
            "số đó?"
        ),
        "intro": (
            "Luật Bảo hiểm xã hội năm 2024, có hiệu lực từ ngày 1/7/2025, đưa chủ hộ "
            "kinh doanh, người quản lý hợp tác xã không hưởng lương, người hoạt động "
            "không chuyên trách ở thôn, tổ dân phố và lao động làm việc không trọn "
            "thời gian vào diện tham gia BHXH bắt buộc."
        ),
        "section": "khu-vuc-v",
        "units": ["khu-vuc-v"],
        "target_groups": ["ho-kinh-doanh", "quan-ly-htx"],
        "tags": ["bhxh bắt buộc", "luật bhxh 2024", "đối tượng mới"],
        "days_ago": 58,
        "cover": {"kicker": "LUẬT BHXH 2024", "colour": "#0b5394"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Từ ngày 1/7/2025, Luật Bảo hiểm xã hội số 41/2024/QH15 chính "
                    "thức có hiệu lực. Luật mở rộng diện tham gia bảo hiểm xã hội "
                    "(BHXH) bắt buộc tới nhiều người lao động trước đây chưa được bảo "
                    "vệ, trong đó có rất nhiều bà con buôn bán ở chợ, làm hợp tác xã "
                    "hay gánh vác việc chung của thôn, bản ở Lạng Sơn.</p><p>Bảo hiểm "
                    "xã hội khu vực V cùng 11 đơn vị BHXH cơ sở đang phối hợp với "
                    "chính quyền các xã, phường, cơ quan thuế và tài chính lập danh "
                    "sách từng nhóm đối tượng để hướng dẫn tận nơi. Bài viết này giúp "
                    "bà con tự kiểm tra xem mình có thuộc diện tham gia hay không.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Bốn nhóm đối tượng mới", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<ul><li><b>Chủ hộ kinh doanh có đăng ký kinh doanh</b>: người "
                    "đứng tên trên giấy chứng nhận đăng ký hộ kinh doanh, tham gia "
                    "theo lộ trình do Chính phủ quy định.</li><li><b>Người quản lý "
                    "điều hành hợp tác xã, liên hiệp hợp tác xã không hưởng tiền "
                    "lương</b>: chẳng hạn giám đốc, thành viên hội đồng quản trị, kiểm "
                    "soát viên không nhận lương.</li><li><b>Người hoạt động không "
                    "chuyên trách ở cấp xã, ở thôn, tổ dân phố</b>: nay mở rộng tới bí "
                    "thư chi bộ, trưởng thôn, tổ trưởng tổ dân phố, trưởng ban công "
                    "tác Mặt trận.</li><li><b>Người lao động làm việc không trọn thời "
                    "gian</b>: làm theo giờ, theo ca, có tiền lương trong tháng bằng "
                    "hoặc cao hơn tiền lương thấp nhất làm căn cứ đóng BHXH bắt "
                    "buộc.</li></ul><p>Người làm việc theo hợp đồng lao động từ đủ 1 "
                    "tháng trở lên vẫn tham gia BHXH bắt buộc như trước.</p>"
                ),
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "Những con số cần nhớ",
                    "items": [
                        {
                            "number": "1/7/2025",
                            "label": "Luật BHXH số 41/2024/QH15 có hiệu lực",
                        },
                        {
                            "number": "4 nhóm",
                            "label": "đối tượng mới thuộc diện tham gia BHXH bắt buộc",
                        },
                        {
                            "number": "15 năm",
                            "label": (
                                "thời gian đóng tối thiểu để hưởng lương hưu (trước "
                                "đây là 20 năm)"
                            ),
                        },
                        {
                            "number": "75 tuổi",
                            "label": (
                                "tuổi được hưởng trợ cấp hưu trí xã hội (trước đây là "
                                "80 tuổi)"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "heading",
                "value": {"text": "Tham gia để được gì?", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Người tham gia BHXH bắt buộc được bảo vệ khi ốm đau, sinh con, "
                    "về già; nếu không may qua đời, thân nhân được hưởng chế độ tử "
                    "tuất. Cùng với BHXH, người tham gia được cấp thẻ bảo hiểm y tế "
                    "(BHYT) để đi khám chữa bệnh. Tùy từng nhóm, các chế độ được hưởng "
                    "có khác nhau; BHXH cơ sở sẽ hướng dẫn cụ thể.</p><p>Điểm mới đáng "
                    "chú ý là thời gian đóng tối thiểu để hưởng lương hưu giảm từ 20 "
                    "năm xuống 15 năm. Nhờ vậy, nhiều người bắt đầu tham gia muộn, khi "
                    "đã ngoài 40 tuổi, vẫn còn cơ hội có lương hưu hằng tháng lúc về "
                    "già.</p>"
                ),
            },
            {"type": "heading", "value": {"text": "Cần làm gì ngay?", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Nếu thấy mình thuộc một trong bốn nhóm trên, bà con hãy liên "
                    "hệ BHXH cơ sở nơi cư trú hoặc UBND xã, phường để được hướng dẫn "
                    "kê khai. Hồ sơ cũng có thể nộp trực tuyến qua Cổng Dịch vụ công "
                    "quốc gia; quá trình đóng được theo dõi trên ứng dụng VssID.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi bán hàng ở chợ, đã có giấy đăng ký hộ kinh doanh. "
                                "Tôi có phải tham gia ngay không?"
                            ),
                            "answer": (
                                "<p>Chủ hộ kinh doanh có đăng ký kinh doanh thuộc diện "
                                "tham gia BHXH bắt buộc theo lộ trình do Chính phủ quy "
                                "định, nên thời điểm bắt đầu với từng hộ có thể khác "
                                "nhau. Để biết chính xác mình phải tham gia từ khi "
                                "nào, bà con mang giấy đăng ký hộ kinh doanh đến BHXH "
                                "cơ sở nơi cư trú để được kiểm tra, hướng dẫn.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Đóng BHXH bắt buộc có được cấp thẻ BHYT không?"
                            ),
                            "answer": (
                                "<p>Có. Người tham gia BHXH bắt buộc đồng thời tham "
                                "gia BHYT theo quy định. Khi đi khám, có thể dùng thẻ "
                                "BHYT trên ứng dụng VssID, VNeID hoặc căn cước gắn "
                                "chip.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Chưa rõ mình có thuộc diện tham gia không? Gọi tổng đài BHXH "
                        "Việt Nam hoặc liên hệ BHXH cơ sở nơi cư trú."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "bac-son-tieu-thuong-cho-phien-tim-hieu-bhxh-bat-buoc",
        "title": (
            "Bắc Sơn: tiểu thương chợ phiên tìm hiểu quyền lợi khi tham gia BHXH bắt "
            "buộc"
        ),
        "intro": (
            "Tại chợ Bắc Sơn và các phiên chợ ở Vũ Lăng, Hưng Vũ, cán bộ BHXH cơ sở "
            "Bắc Sơn đến từng quầy hàng, giải thích cho chủ hộ kinh doanh về quyền "
            "lợi, cách chọn mức đóng và thủ tục đăng ký tham gia BHXH bắt buộc."
        ),
        "section": "bac-son",
        "units": ["bac-son"],
        "target_groups": ["ho-kinh-doanh"],
        "tags": ["chủ hộ kinh doanh", "bhxh bắt buộc", "chợ phiên"],
        "days_ago": 41,
        "cover": {"kicker": "CHỦ HỘ KINH DOANH", "colour": "#7f3b08"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Sáng phiên chợ, khi những sọt quýt vàng, bao gạo nếp, bó rau "
                    "cải vừa được bày ra, tổ tuyên truyền của BHXH cơ sở Bắc Sơn đã có "
                    "mặt ở chợ trung tâm. Không phát tờ rơi rồi đi, các cán bộ dừng "
                    "lại ở từng quầy, hỏi han chuyện buôn bán rồi mới nói đến chuyện "
                    "bảo hiểm.</p><p>Theo Luật Bảo hiểm xã hội năm 2024, chủ hộ kinh "
                    "doanh có đăng ký kinh doanh thuộc diện tham gia BHXH bắt buộc "
                    "theo lộ trình Chính phủ quy định. Phối hợp với UBND các xã và cơ "
                    "quan thuế, BHXH cơ sở Bắc Sơn đã rà soát, lập danh sách khoảng "
                    "100 người thuộc diện tham gia theo quy định mới để tư vấn tận "
                    "nơi.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Được tự chọn mức đóng", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Điều khiến nhiều tiểu thương bất ngờ là chủ hộ kinh doanh được "
                    "tự lựa chọn mức thu nhập làm căn cứ đóng BHXH, thấp nhất bằng "
                    "<b>mức tham chiếu</b>. Mức tham chiếu do Chính phủ quy định, dùng "
                    "để tính mức đóng và mức hưởng một số chế độ, thay cho mức lương "
                    "cơ sở trước đây. Hộ buôn bán thuận lợi có thể chọn mức cao hơn để "
                    "sau này có lương hưu cao hơn.</p><p>Khi tham gia, chủ hộ kinh "
                    "doanh được hưởng các chế độ ốm đau, thai sản, hưu trí, tử tuất và "
                    "được cấp thẻ BHYT. Về cách nộp tiền, bà con nên hỏi cán bộ BHXH "
                    "cơ sở để chọn phương thức đóng phù hợp với nhịp buôn bán của gia "
                    "đình.</p>"
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Trước tôi nghĩ bảo hiểm là chuyện của người làm nhà nước, "
                        "mình buôn bán thì tự lo. Nghe cán bộ nói đóng đủ 15 năm là có "
                        "lương hưu, lại có thẻ bảo hiểm y tế đi khám, tôi tính rồi, "
                        "mỗi tháng bớt một ít tiền hàng là đóng được. Về già có đồng "
                        "lương, con cái đỡ phải lo."
                    ),
                    "speaker": "Bà Hoàng Thị Mai",
                    "role": "Chủ quầy tạp hóa ở chợ Bắc Sơn",
                },
            },
            {
                "type": "heading",
                "value": {"text": "Ba điều chủ hộ kinh doanh nên nhớ", "level": "h2"},
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "Chủ hộ kinh doanh cần nhớ",
                    "items": [
                        {
                            "number": "15 năm",
                            "label": "thời gian đóng tối thiểu để được hưởng lương hưu",
                        },
                        {
                            "number": "4 chế độ",
                            "label": "ốm đau, thai sản, hưu trí, tử tuất, kèm thẻ BHYT",
                        },
                        {
                            "number": "1900 9068",
                            "label": "tổng đài hỗ trợ của BHXH Việt Nam",
                        },
                    ],
                },
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Nếu trước đây bà con đã từng đóng BHXH khi đi làm công ty hoặc "
                    "đã tham gia BHXH tự nguyện, thời gian ấy vẫn được cộng nối, giúp "
                    "rút ngắn chặng đường đến lương hưu.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi chủ yếu buôn bán theo mùa quýt, có tháng gần như "
                                "không có thu nhập thì đóng thế nào?"
                            ),
                            "answer": (
                                "<p>Mức đóng được tính trên mức thu nhập do bà con tự "
                                "chọn, thấp nhất bằng mức tham chiếu, không phụ thuộc "
                                "vào doanh thu từng tháng. Bà con nên đến BHXH cơ sở "
                                "Bắc Sơn để được tư vấn chọn mức vừa sức và phương "
                                "thức đóng phù hợp.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Hộ kinh doanh đứng tên tôi nhưng người đứng bán là vợ "
                                "tôi. Ai phải tham gia?"
                            ),
                            "answer": (
                                "<p>Người thuộc diện tham gia BHXH bắt buộc là chủ hộ "
                                "kinh doanh, tức người đứng tên chủ hộ trên giấy chứng "
                                "nhận đăng ký hộ kinh doanh. Các thành viên khác trong "
                                "gia đình có thể tham gia BHXH tự nguyện nếu có nhu "
                                "cầu.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Chủ hộ kinh doanh ở Bắc Sơn cần tư vấn có thể đến BHXH cơ sở "
                        "Bắc Sơn hoặc gọi tổng đài BHXH Việt Nam."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "huu-lung-nguoi-quan-ly-htx-khong-huong-luong-tham-gia-bhxh",
        "title": (
            "Hữu Lũng: người quản lý hợp tác xã không hưởng lương nay được tham gia "
            "BHXH bắt buộc"
        ),
        "intro": (
            "Nhiều giám đốc, kiểm soát viên hợp tác xã trồng na, bưởi ở Hữu Lũng làm "
            "việc nhiều năm mà không nhận lương nên chưa có BHXH. Từ ngày 1/7/2025, họ "
            "thuộc diện tham gia BHXH bắt buộc, được bảo vệ khi ốm đau, sinh con và về "
            "già."
        ),
        "section": "huu-lung",
        "units": ["huu-lung"],
        "target_groups": ["quan-ly-htx"],
        "tags": ["hợp tác xã", "bhxh bắt buộc", "lương hưu"],
        "days_ago": 33,
        "cover": {"kicker": "HỢP TÁC XÃ", "colour": "#274e13"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Ở Hữu Lũng, mô hình hợp tác xã đã giúp nhiều thôn, bản đưa quả "
                    "na, quả bưởi, mật ong đi xa hơn. Nhưng phía sau những vườn cây "
                    "sai quả là những người quản lý hợp tác xã làm việc gần như không "
                    "công: họ điều hành sản xuất, tìm đầu ra, lo sổ sách, giấy tờ, "
                    "cuối vụ chỉ nhận phần chia lãi theo vốn góp như các thành viên "
                    "khác.</p><p>Luật Bảo hiểm xã hội năm 2024 lần đầu tiên đưa nhóm "
                    "này vào diện tham gia BHXH bắt buộc. Cụ thể, người quản lý điều "
                    "hành hợp tác xã, liên hiệp hợp tác xã không hưởng tiền lương, "
                    "chẳng hạn giám đốc, thành viên hội đồng quản trị, kiểm soát viên, "
                    "thuộc diện tham gia từ ngày 1/7/2025.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {
                    "text": "Tự chọn mức đóng, được bảo vệ lâu dài",
                    "level": "h2",
                },
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Người quản lý hợp tác xã không hưởng lương được tự lựa chọn "
                    "mức thu nhập làm căn cứ đóng BHXH, thấp nhất bằng mức tham chiếu. "
                    "Khi tham gia, họ được hưởng các chế độ ốm đau, thai sản, hưu trí, "
                    "tử tuất theo quy định và được cấp thẻ BHYT để đi khám chữa "
                    "bệnh.</p><p>Với những người đã ngoài 45 tuổi, quy định thời gian "
                    "đóng tối thiểu 15 năm để hưởng lương hưu là cơ hội lớn. Nếu trước "
                    "đó đã từng đóng BHXH khi đi làm công nhân hoặc đã tham gia BHXH "
                    "tự nguyện, thời gian ấy được cộng nối, giúp rút ngắn chặng đường "
                    "đến lương hưu.</p>"
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Mười năm làm giám đốc hợp tác xã, lo cho bà con từng gốc na, "
                        "từng chuyến hàng, nhưng bản thân tôi thì chưa có gì bảo đảm "
                        "khi về già. Giờ luật cho mình tham gia, hợp tác xã đã họp và "
                        "thống nhất làm hồ sơ cho cả ba người trong ban quản lý."
                    ),
                    "speaker": "Ông Lương Văn Tuấn",
                    "role": "Giám đốc một hợp tác xã trồng na ở xã Yên Bình, Hữu Lũng",
                },
            },
            {
                "type": "heading",
                "value": {"text": "Hồ sơ đăng ký ra sao?", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Hợp tác xã liên hệ BHXH cơ sở Hữu Lũng để được hướng dẫn kê "
                    "khai danh sách người quản lý không hưởng lương tham gia BHXH, "
                    "BHYT. Hồ sơ có thể nộp trực tiếp tại BHXH cơ sở, gửi qua bưu điện "
                    "hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia. Sau khi tham "
                    "gia, mỗi người có thể theo dõi quá trình đóng của mình trên ứng "
                    "dụng VssID.</p><p>Trong các buổi làm việc với hợp tác xã ở Yên "
                    "Bình, Hữu Liên, Thiện Tân, cán bộ BHXH cơ sở Hữu Lũng cũng lưu ý: "
                    "người lao động làm việc cho hợp tác xã theo hợp đồng lao động từ "
                    "đủ 1 tháng trở lên, kể cả lao động thời vụ thu hái na, phải được "
                    "hợp tác xã đăng ký tham gia BHXH bắt buộc như ở doanh nghiệp.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Hợp tác xã chúng tôi chỉ chia lãi theo vốn góp, không "
                                "trả lương cho giám đốc. Giám đốc có thuộc diện tham "
                                "gia không?"
                            ),
                            "answer": (
                                "<p>Có. Người quản lý điều hành hợp tác xã không hưởng "
                                "tiền lương thuộc diện tham gia BHXH bắt buộc. Nếu còn "
                                "băn khoăn về một chức danh cụ thể, hợp tác xã nên "
                                "liên hệ BHXH cơ sở để được xác định.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Nếu hợp tác xã ngừng hoạt động thì thời gian đã đóng "
                                "có mất không?"
                            ),
                            "answer": (
                                "<p>Không. Thời gian đã đóng được ghi nhận và bảo lưu. "
                                "Bà con có thể tiếp tục tham gia BHXH bắt buộc khi có "
                                "việc làm thuộc diện tham gia, hoặc tham gia BHXH tự "
                                "nguyện để đóng tiếp cho đủ 15 năm.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Tôi có thể xem hợp tác xã đã đóng cho mình đến tháng "
                                "nào ở đâu?"
                            ),
                            "answer": (
                                "<p>Bà con cài ứng dụng VssID trên điện thoại để tra "
                                "cứu quá trình đóng, hoặc hỏi trực tiếp tại BHXH cơ sở "
                                "Hữu Lũng.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "button",
                    "text": (
                        "Hợp tác xã có thể nộp hồ sơ đăng ký tham gia BHXH, BHYT cho "
                        "người quản lý trực tuyến, không phải đi lại."
                    ),
                    "label": "Vào Cổng Dịch vụ công",
                    "url": "https://dichvucong.gov.vn/",
                    "phone": "",
                },
            },
        ],
    },
    {
        "slug": "loc-binh-doi-thoai-truc-tiep-ve-bhxh-bat-buoc-tai-na-duong",
        "title": (
            "Lộc Bình: đối thoại trực tiếp về BHXH bắt buộc với hộ kinh doanh Na Dương"
        ),
        "intro": (
            "Buổi đối thoại do BHXH cơ sở Lộc Bình phối hợp với chính quyền xã Na "
            "Dương tổ chức đã thu hút đông đảo chủ hộ kinh doanh và người lao động làm "
            "theo ca. Nhiều băn khoăn về mức đóng, quyền lợi, cách đăng ký được giải "
            "đáp ngay tại chỗ."
        ),
        "section": "loc-binh",
        "units": ["loc-binh"],
        "target_groups": ["ho-kinh-doanh", "lao-dong-ban-thoi-gian"],
        "tags": ["đối thoại trực tiếp", "chủ hộ kinh doanh", "na dương"],
        "days_ago": 12,
        "cover": {"kicker": "ĐỐI THOẠI TRỰC TIẾP", "colour": "#990000"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Chiều cuối tuần, hội trường nhà văn hóa ở Na Dương chật kín "
                    "người. Có chủ quán phở dậy từ bốn giờ sáng, có chị bán rau ở chợ "
                    "Na Dương, có anh thanh niên bốc xếp theo ca. Họ đến để nghe BHXH "
                    "cơ sở Lộc Bình nói về quy định mới và, quan trọng hơn, để hỏi "
                    "những điều mình còn băn khoăn.</p>"
                ),
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "Buổi đối thoại qua những con số",
                    "items": [
                        {
                            "number": "hơn 90",
                            "label": "người dân, chủ hộ kinh doanh đến dự",
                        },
                        {"number": "27", "label": "câu hỏi được giải đáp trực tiếp"},
                        {
                            "number": "14",
                            "label": (
                                "người được hướng dẫn kê khai hồ sơ ngay tại buổi đối "
                                "thoại"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "heading",
                "value": {"text": "“Đóng bao nhiêu, được hưởng gì?”", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Câu hỏi được nhắc đến nhiều nhất là chuyện tiền. Cán bộ BHXH "
                    "giải thích: chủ hộ kinh doanh được tự chọn mức thu nhập làm căn "
                    "cứ đóng, thấp nhất bằng mức tham chiếu; chọn mức càng cao, đóng "
                    "càng lâu thì lương hưu sau này càng cao. Đổi lại, người tham gia "
                    "được hưởng các chế độ ốm đau, thai sản, hưu trí, tử tuất và có "
                    "thẻ BHYT.</p>"
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Tôi cứ nghĩ đóng bảo hiểm là mất tiền, lúc cần chưa chắc đã "
                        "được gì. Nghe giải thích mới biết ốm phải nghỉ bán thì có trợ "
                        "cấp, đủ tuổi mà đóng đủ 15 năm thì có lương hưu, không may "
                        "mất đi thì con cái còn được hưởng chế độ tử tuất. Tôi đăng ký "
                        "luôn hôm nay."
                    ),
                    "speaker": "Bà Vi Thị Hạnh",
                    "role": "Chủ quán phở gần chợ Na Dương",
                },
            },
            {
                "type": "heading",
                "value": {
                    "text": "Người làm theo ca, theo giờ cũng được bảo vệ",
                    "level": "h2",
                },
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Nhiều lao động trẻ làm bán thời gian ở quán ăn, cửa hàng vật "
                    "liệu xây dựng cũng được giải đáp. Theo luật mới, người lao động "
                    "làm việc không trọn thời gian, nếu tiền lương trong tháng bằng "
                    "hoặc cao hơn tiền lương thấp nhất làm căn cứ đóng BHXH bắt buộc, "
                    "thì chủ sử dụng lao động phải đăng ký tham gia cho họ. Người lao "
                    "động có thể tự kiểm tra trên ứng dụng VssID xem mình đã được đóng "
                    "hay chưa.</p>"
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Tôi làm trưởng thôn, cũng thuộc diện người hoạt động không "
                        "chuyên trách ở thôn nên nghe rất kỹ. Về tôi sẽ nói lại với bà "
                        "con trong thôn, ai còn chưa rõ thì tôi dẫn lên gặp cán bộ bảo "
                        "hiểm."
                    ),
                    "speaker": "Ông Nông Văn Thắng",
                    "role": "Trưởng thôn ở xã Na Dương",
                },
            },
            {
                "type": "heading",
                "value": {"text": "Sẽ tổ chức thêm ở các thôn", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Kết thúc buổi đối thoại, BHXH cơ sở Lộc Bình cho biết sẽ tiếp "
                    "tục phối hợp với các xã Lộc Bình, Mẫu Sơn, Khuất Xá, Lợi Bác tổ "
                    "chức họp thôn và đặt quầy tư vấn tại các phiên chợ. Những ai chưa "
                    "kịp tham dự có thể đến BHXH cơ sở Lộc Bình hoặc gọi tổng đài BHXH "
                    "Việt Nam.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi đóng được vài năm rồi ngừng thì số tiền đã đóng "
                                "có mất không?"
                            ),
                            "answer": (
                                "<p>Không mất. Thời gian đóng được bảo lưu và cộng nối "
                                "khi bà con tham gia lại. Luật mới cũng quy định chặt "
                                "chẽ hơn việc rút BHXH một lần để người lao động giữ "
                                "được quyền hưởng lương hưu lâu dài. Với trường hợp cụ "
                                "thể, bà con liên hệ BHXH cơ sở để được tư vấn.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Đã đóng BHXH bắt buộc thì có phải mua thêm BHYT hộ "
                                "gia đình cho bản thân không?"
                            ),
                            "answer": (
                                "<p>Người tham gia BHXH bắt buộc đồng thời tham gia "
                                "BHYT theo quy định nên không phải mua thêm thẻ BHYT "
                                "hộ gia đình cho bản thân. Các thành viên khác trong "
                                "gia đình vẫn tham gia BHYT theo hình thức phù hợp.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Chưa dự được buổi đối thoại? Gọi tổng đài BHXH Việt Nam hoặc "
                        "đến BHXH cơ sở Lộc Bình để được giải đáp."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "loc-binh-lao-dong-lam-theo-ca-theo-gio-cung-duoc-dong-bhxh",
        "title": (
            "Làm theo ca, theo giờ ở Mẫu Sơn, Chi Ma: người lao động cũng được đóng "
            "BHXH"
        ),
        "intro": (
            "Nhân viên phục vụ ở khu du lịch Mẫu Sơn, lao động bốc xếp ở cửa khẩu Chi "
            "Ma... nhiều người làm bán thời gian chưa biết mình thuộc diện tham gia "
            "BHXH bắt buộc. BHXH cơ sở Lộc Bình hướng dẫn cách tự kiểm tra và quyền "
            "lợi được hưởng."
        ),
        "section": "loc-binh",
        "units": ["loc-binh"],
        "target_groups": ["lao-dong-ban-thoi-gian"],
        "tags": ["lao động bán thời gian", "bhxh bắt buộc", "vssid"],
        "days_ago": 21,
        "cover": {"kicker": "LAO ĐỘNG BÁN THỜI GIAN", "colour": "#134f5c"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Mùa đông, khi đỉnh Mẫu Sơn có băng giá, các nhà nghỉ, quán ăn "
                    "trên núi lại tuyển thêm người phục vụ làm theo ca. Ở cửa khẩu Chi "
                    "Ma, nhiều thanh niên trong các thôn lân cận nhận bốc xếp hàng hóa "
                    "theo giờ. Phần lớn họ nghĩ mình chỉ là “làm thêm”, còn chuyện bảo "
                    "hiểm là của người làm chính thức.</p>"
                ),
            },
            {"type": "heading", "value": {"text": "Luật mới nói gì?", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Luật Bảo hiểm xã hội năm 2024, có hiệu lực từ ngày 1/7/2025, "
                    "quy định người làm việc theo hợp đồng lao động từ đủ 1 tháng trở "
                    "lên phải tham gia BHXH bắt buộc, kể cả khi hai bên gọi hợp đồng "
                    "bằng tên khác nhưng có nội dung về việc làm có trả công, tiền "
                    "lương và sự quản lý, điều hành, giám sát. Luật cũng bổ sung người "
                    "lao động làm việc không trọn thời gian, có tiền lương trong tháng "
                    "bằng hoặc cao hơn tiền lương thấp nhất làm căn cứ đóng BHXH bắt "
                    "buộc.</p><p>Nói cách khác, làm theo ca, theo giờ không có nghĩa "
                    "là đứng ngoài BHXH. Nếu đủ điều kiện, chủ cơ sở phải đăng ký tham "
                    "gia, đóng phần của người sử dụng lao động và trích phần của người "
                    "lao động từ tiền lương hằng tháng để đóng.</p>"
                ),
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "Người làm bán thời gian cần nhớ",
                    "items": [
                        {
                            "number": "đủ 1 tháng",
                            "label": (
                                "hợp đồng lao động từ đủ 1 tháng trở lên thuộc diện "
                                "tham gia"
                            ),
                        },
                        {
                            "number": "2 bên",
                            "label": (
                                "người sử dụng lao động và người lao động cùng đóng"
                            ),
                        },
                        {
                            "number": "15 năm",
                            "label": "thời gian đóng tối thiểu để có lương hưu",
                        },
                    ],
                },
            },
            {
                "type": "heading",
                "value": {"text": "Được gì khi tham gia?", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Khi tham gia BHXH bắt buộc, người lao động làm việc không trọn "
                    "thời gian được bảo vệ khi ốm đau, khi sinh con, được tích lũy "
                    "thời gian để hưởng lương hưu; nếu không may qua đời, thân nhân "
                    "được hưởng chế độ tử tuất. Người tham gia cũng được cấp thẻ BHYT "
                    "theo quy định.</p><p>Thời gian đóng ở nơi này được cộng nối khi "
                    "chuyển sang làm ở nơi khác, kể cả khi sau này tham gia BHXH tự "
                    "nguyện. Vì thế, mỗi tháng làm việc có đóng BHXH đều là một bước "
                    "tích lũy cho tương lai.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Tự kiểm tra bằng điện thoại", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Cài ứng dụng VssID – Bảo hiểm xã hội số, đăng nhập bằng tài "
                    "khoản định danh điện tử VNeID, người lao động có thể xem mình đã "
                    "được đăng ký tham gia hay chưa, chủ cơ sở đã đóng đến tháng nào. "
                    "Nếu thấy bị trừ tiền BHXH vào lương mà không được đóng, hãy phản "
                    "ánh với BHXH cơ sở Lộc Bình hoặc gọi tổng đài 1900 9068.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi làm cho hai nơi, mỗi nơi vài buổi một tuần thì "
                                "đóng ở đâu?"
                            ),
                            "answer": (
                                "<p>Với người làm việc cho nhiều nơi, việc đóng ở đâu, "
                                "đóng những khoản nào được xác định theo từng hợp đồng "
                                "cụ thể. Bà con mang theo các hợp đồng, giấy tờ trả "
                                "lương đến BHXH cơ sở để được hướng dẫn.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Chủ quán không đăng ký cho tôi thì tôi có bị phạt "
                                "không?"
                            ),
                            "answer": (
                                "<p>Trách nhiệm đăng ký và đóng BHXH thuộc về người sử "
                                "dụng lao động. Luật mới quy định chặt chẽ việc xử lý "
                                "hành vi chậm đóng, trốn đóng. Người lao động có quyền "
                                "yêu cầu và phản ánh tới cơ quan BHXH khi quyền lợi "
                                "của mình không được bảo đảm.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Tôi chỉ làm mùa du lịch vài tháng, nghỉ thì sao?"
                            ),
                            "answer": (
                                "<p>Thời gian đã đóng được ghi nhận và bảo lưu; khi đi "
                                "làm ở nơi khác thuộc diện tham gia, thời gian được "
                                "cộng nối. Trong những tháng không đi làm, bà con có "
                                "thể tham gia BHXH tự nguyện để quá trình đóng không "
                                "bị gián đoạn.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Nghi ngờ mình chưa được đóng BHXH? Gọi tổng đài BHXH Việt Nam "
                        "để được hướng dẫn kiểm tra."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "bac-son-nguoi-hoat-dong-khong-chuyen-trach-o-thon-tham-gia-bhxh",
        "title": (
            "Bắc Sơn: trưởng thôn, bí thư chi bộ yên tâm gắn bó nhờ tham gia BHXH bắt "
            "buộc"
        ),
        "intro": (
            "Từ ngày 1/7/2025, bí thư chi bộ, trưởng thôn, trưởng ban công tác Mặt "
            "trận ở thôn, tổ dân phố thuộc diện tham gia BHXH bắt buộc. Ở Bắc Sơn, "
            "nhiều người gắn bó hàng chục năm với công việc của bản nay có thêm chỗ "
            "dựa khi về già."
        ),
        "section": "bac-son",
        "units": ["bac-son"],
        "target_groups": ["khong-chuyen-trach"],
        "tags": ["thôn, tổ dân phố", "không chuyên trách", "bhxh bắt buộc"],
        "days_ago": 27,
        "cover": {"kicker": "THÔN, TỔ DÂN PHỐ", "colour": "#5b2c6f"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Ở thôn Quỳnh Sơn, xã Bắc Sơn, ông Dương Công Hưng đã làm "
                    "trưởng thôn gần mười lăm năm. Ngày mùa thì lo lúa, lo quýt như "
                    "mọi nhà; ngày thường thì họp dân, hòa giải chuyện xóm giềng, đón "
                    "khách du lịch về với làng nhà sàn. Phụ cấp hằng tháng không "
                    "nhiều, và trước đây công việc ấy không gắn với bảo hiểm xã "
                    "hội.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Ai thuộc diện tham gia?", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Trước khi luật mới có hiệu lực, chỉ người hoạt động không "
                    "chuyên trách ở cấp xã tham gia BHXH bắt buộc. Luật Bảo hiểm xã "
                    "hội năm 2024 mở rộng tới người hoạt động không chuyên trách ở "
                    "thôn, tổ dân phố, gồm các chức danh như bí thư chi bộ, trưởng "
                    "thôn hoặc tổ trưởng tổ dân phố, trưởng ban công tác Mặt "
                    "trận.</p><p>UBND xã là nơi lập danh sách, đăng ký tham gia và "
                    "đóng BHXH cho những người này; người lao động đóng phần của mình "
                    "theo tỷ lệ luật định. Thực hiện chỉ đạo của BHXH khu vực V, BHXH "
                    "cơ sở Bắc Sơn đã phối hợp với UBND các xã rà soát danh sách người "
                    "hoạt động không chuyên trách ở các thôn, đối chiếu với cơ sở dữ "
                    "liệu dân cư để việc đăng ký được nhanh và chính xác.</p>"
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Tôi năm nay 49 tuổi. Trước đi làm công nhân ở Bắc Ninh đóng "
                        "được 5 năm bảo hiểm, về quê làm trưởng thôn thì bỏ dở. Cán bộ "
                        "bảo hiểm tra trên máy cho biết 5 năm ấy vẫn còn, cộng thêm "
                        "thời gian làm thôn thì đến tuổi nghỉ hưu là đủ 15 năm. Vậy là "
                        "yên tâm rồi."
                    ),
                    "speaker": "Ông Dương Công Hưng",
                    "role": "Trưởng thôn Quỳnh Sơn, xã Bắc Sơn",
                },
            },
            {"type": "heading", "value": {"text": "Quyền lợi cụ thể", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<p>Khi tham gia, người hoạt động không chuyên trách ở thôn, tổ "
                    "dân phố được tích lũy thời gian đóng để hưởng lương hưu khi đủ "
                    "tuổi và đủ 15 năm đóng; nếu không may qua đời, thân nhân được "
                    "hưởng chế độ tử tuất như trợ cấp mai táng, trợ cấp tuất theo quy "
                    "định. Các quyền lợi khác và thẻ BHYT đi kèm được BHXH cơ sở hướng "
                    "dẫn theo từng trường hợp.</p><p>Nhiều người trong nhóm này đã lớn "
                    "tuổi. Với quy định thời gian đóng tối thiểu để hưởng lương hưu "
                    "giảm từ 20 năm xuống 15 năm, cơ hội có lương hưu rộng mở hơn. "
                    "Người đến tuổi nghỉ hưu mà chưa đủ 15 năm có thể đóng tiếp BHXH "
                    "tự nguyện cho đủ, hoặc lựa chọn các phương án khác theo luật như "
                    "trợ cấp hằng tháng.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi làm trưởng thôn và đang đóng BHXH tự nguyện thì "
                                "nay phải làm gì?"
                            ),
                            "answer": (
                                "<p>Khi thuộc diện tham gia BHXH bắt buộc, bà con "
                                "chuyển sang tham gia bắt buộc thông qua UBND xã. Thời "
                                "gian đã đóng tự nguyện vẫn được ghi nhận và cộng nối. "
                                "Hãy báo với cán bộ BHXH cơ sở để được hướng dẫn dừng "
                                "đóng tự nguyện, tránh đóng trùng.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Hết nhiệm kỳ, không làm trưởng thôn nữa thì sao?"
                            ),
                            "answer": (
                                "<p>Thời gian đã đóng được bảo lưu. Bà con có thể tham "
                                "gia BHXH tự nguyện để đóng tiếp, hoặc tiếp tục tham "
                                "gia BHXH bắt buộc nếu có việc làm thuộc diện tham "
                                "gia.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Làm sao biết xã đã đăng ký tham gia cho tôi chưa?"
                            ),
                            "answer": (
                                "<p>Bà con tra cứu trên ứng dụng VssID, hoặc hỏi trực "
                                "tiếp công chức phụ trách ở UBND xã, BHXH cơ sở Bắc "
                                "Sơn.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Người hoạt động không chuyên trách ở thôn, tổ dân phố cần hỏi "
                        "thêm có thể gọi tổng đài BHXH Việt Nam."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "chi-lang-dong-du-15-nam-bhxh-la-co-luong-huu",
        "title": (
            "Đóng đủ 15 năm là có lương hưu: cơ hội mới cho nhà vườn, hộ buôn na Chi "
            "Lăng"
        ),
        "intro": (
            "Luật BHXH năm 2024 giảm thời gian đóng tối thiểu để hưởng lương hưu từ 20 "
            "năm xuống 15 năm. Với các hộ trồng và buôn na ở Chi Lăng bắt đầu tham gia "
            "muộn, đây là cơ hội để có lương hưu và thẻ BHYT khi về già."
        ),
        "section": "chi-lang",
        "units": ["chi-lang"],
        "target_groups": ["ho-kinh-doanh", "quan-ly-htx"],
        "tags": ["lương hưu", "15 năm", "na chi lăng"],
        "days_ago": 50,
        "cover": {"kicker": "LƯƠNG HƯU 15 NĂM", "colour": "#1c4587"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Vào mùa na, quốc lộ 1A qua Chi Lăng rực lên những sạp na bày "
                    "bán ven đường. Nhiều hộ ở Chi Lăng, Quan Sơn, Nhân Lý đã có giấy "
                    "đăng ký hộ kinh doanh, thu mua na cho thương lái mang đi các "
                    "tỉnh. Thu nhập khá, nhưng khi được hỏi về lương hưu, không ít "
                    "người lắc đầu: “Đóng 20 năm thì lâu quá, tôi ngoài 40 rồi.”</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Từ 20 năm xuống 15 năm", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Từ ngày 1/7/2025, theo Luật Bảo hiểm xã hội năm 2024, người đủ "
                    "tuổi nghỉ hưu và có từ đủ 15 năm đóng BHXH trở lên được hưởng "
                    "lương hưu hằng tháng, thay vì phải đủ 20 năm như trước. Năm năm "
                    "được rút ngắn có ý nghĩa rất lớn với người bắt đầu tham gia muộn: "
                    "nhiều người ngoài 40 tuổi nay vẫn kịp tích lũy đủ thời gian trước "
                    "khi nghỉ hưu.</p>"
                ),
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "Quy định mới về lương hưu",
                    "items": [
                        {
                            "number": "20 → 15 năm",
                            "label": "thời gian đóng BHXH tối thiểu để hưởng lương hưu",
                        },
                        {
                            "number": "75 tuổi",
                            "label": (
                                "tuổi hưởng trợ cấp hưu trí xã hội, trước đây là 80 "
                                "tuổi"
                            ),
                        },
                        {
                            "number": "1/7/2025",
                            "label": "ngày Luật Bảo hiểm xã hội năm 2024 có hiệu lực",
                        },
                    ],
                },
            },
            {
                "type": "heading",
                "value": {"text": "Chưa đủ 15 năm thì sao?", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Luật mới cũng mở thêm lựa chọn cho người đến tuổi nghỉ hưu mà "
                    "chưa đủ 15 năm đóng. Ngoài việc đóng tiếp BHXH tự nguyện cho đủ "
                    "thời gian, người chưa đến tuổi hưởng trợ cấp hưu trí xã hội có "
                    "thể đề nghị hưởng <b>trợ cấp hằng tháng</b> từ chính khoản tiền "
                    "mình đã đóng; trong thời gian hưởng trợ cấp này được ngân sách "
                    "nhà nước đóng BHYT.</p><p>Người cao tuổi không có lương hưu, "
                    "không có trợ cấp BHXH hằng tháng, khi đủ điều kiện còn được hưởng "
                    "<b>trợ cấp hưu trí xã hội</b>, nay áp dụng từ 75 tuổi thay vì 80 "
                    "tuổi như trước.</p><p>Tuy vậy, cán bộ BHXH cơ sở Chi Lăng khuyên: "
                    "các khoản trợ cấp ấy chỉ là “lưới đỡ”. Đóng càng nhiều năm, mức "
                    "lương hưu càng cao; người hưởng lương hưu còn được cấp thẻ BHYT "
                    "do quỹ BHXH đóng và được điều chỉnh lương hưu theo quy định của "
                    "Nhà nước.</p>"
                ),
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Tôi 46 tuổi, cứ nghĩ là lỡ rồi. Giờ biết chỉ cần 15 năm, lại "
                        "từng đóng ba năm khi làm công ty ở Hữu Lũng, tôi đi đăng ký "
                        "ngay: tôi đứng tên hộ kinh doanh nên đóng bắt buộc, vợ tôi "
                        "thì tham gia tự nguyện."
                    ),
                    "speaker": "Ông Lộc Văn Sinh",
                    "role": "Chủ hộ kinh doanh thu mua na ở xã Quan Sơn, Chi Lăng",
                },
            },
            {
                "type": "heading",
                "value": {
                    "text": "Muốn biết mình đã đóng bao nhiêu năm?",
                    "level": "h2",
                },
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Bà con có thể tra cứu quá trình đóng trên ứng dụng VssID hoặc "
                    "đến BHXH cơ sở Chi Lăng. Thời gian đóng ở các nơi, các giai đoạn "
                    "khác nhau đều được cộng nối, miễn là chưa nhận BHXH một lần cho "
                    "những năm đó.</p>"
                ),
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Muốn tính xem mình còn thiếu bao nhiêu năm để có lương hưu? "
                        "Gọi tổng đài BHXH Việt Nam hoặc đến BHXH cơ sở Chi Lăng."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "huong-dan-dang-ky-bhxh-bat-buoc-cho-chu-ho-kinh-doanh",
        "title": (
            "Đăng ký BHXH bắt buộc cho chủ hộ kinh doanh: giấy tờ, nơi nộp và cách làm "
            "trực tuyến"
        ),
        "intro": (
            "Tiểu thương chợ Đông Kinh, chợ Kỳ Lừa và các hộ kinh doanh ở thành phố "
            "Lạng Sơn có thể đăng ký BHXH bắt buộc trực tiếp tại BHXH cơ sở, qua bưu "
            "điện hoặc trực tuyến trên Cổng Dịch vụ công quốc gia. Dưới đây là các "
            "bước cụ thể."
        ),
        "section": "thanh-pho-lang-son",
        "units": ["thanh-pho-lang-son", "cao-loc"],
        "target_groups": ["ho-kinh-doanh"],
        "tags": ["thủ tục", "dịch vụ công", "chủ hộ kinh doanh", "vssid"],
        "days_ago": 8,
        "cover": {"kicker": "HƯỚNG DẪN ĐĂNG KÝ", "colour": "#0c343d"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Sau những buổi tuyên truyền tại chợ Đông Kinh, chợ Kỳ Lừa, "
                    "nhiều chủ hộ kinh doanh hỏi: muốn tham gia thì làm thế nào, có "
                    "phải đi lại nhiều không? BHXH cơ sở thành phố Lạng Sơn hướng dẫn "
                    "như sau.</p>"
                ),
            },
            {"type": "heading", "value": {"text": "Chuẩn bị giấy tờ", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<ul><li>Căn cước hoặc căn cước công dân còn hiệu "
                    "lực;</li><li>Giấy chứng nhận đăng ký hộ kinh doanh;</li><li>Mã số "
                    "BHXH nếu đã từng tham gia (nếu quên, cán bộ sẽ tra cứu "
                    "giúp);</li><li>Tờ khai tham gia BHXH, BHYT theo mẫu, nhận tại "
                    "BHXH cơ sở hoặc tải trên <a "
                    'href="https://baohiemxahoi.gov.vn/">Cổng thông tin điện tử BHXH '
                    "Việt Nam</a>. Cán bộ BHXH sẽ hướng dẫn ghi mức thu nhập lựa chọn "
                    "làm căn cứ đóng và phương thức đóng.</li></ul>"
                ),
            },
            {"type": "heading", "value": {"text": "Ba cách nộp hồ sơ", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<ol><li><b>Trực tiếp</b> tại bộ phận một cửa của BHXH cơ sở thành "
                    "phố Lạng Sơn hoặc BHXH cơ sở nơi cư trú.</li><li><b>Qua bưu "
                    "điện</b>: gửi hồ sơ qua dịch vụ bưu chính đến BHXH cơ sở, không "
                    "phải đi lại.</li><li><b>Trực tuyến</b> trên Cổng Dịch vụ công "
                    "quốc gia: đăng nhập bằng tài khoản định danh điện tử VNeID, tìm "
                    "thủ tục đăng ký tham gia BHXH, BHYT, điền thông tin theo hướng "
                    "dẫn rồi nộp.</li></ol><p>Sau khi hồ sơ được tiếp nhận, chủ hộ "
                    "kinh doanh nộp tiền đóng theo hình thức được cán bộ hướng dẫn và "
                    "được cấp thẻ BHYT theo quy định.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Theo dõi quyền lợi trên VssID", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Sau khi tham gia, bà con nên cài ứng dụng VssID – Bảo hiểm xã "
                    "hội số để xem quá trình đóng, hạn sử dụng thẻ BHYT và các chế độ "
                    "đã hưởng. Khi đi khám chữa bệnh, có thể dùng thẻ BHYT trên VssID, "
                    "VNeID hoặc căn cước gắn chip tại các cơ sở y tế đã kết "
                    "nối.</p><p>Các hộ kinh doanh ở khu vực giáp ranh Cao Lộc, Đồng "
                    "Đăng cũng có thể nộp hồ sơ theo cách tương tự tại BHXH cơ sở Cao "
                    "Lộc.</p>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi chưa có tài khoản định danh điện tử mức 2 thì có "
                                "nộp trực tuyến được không?"
                            ),
                            "answer": (
                                "<p>Bà con đăng ký tài khoản định danh điện tử mức 2 "
                                "tại công an xã, phường nơi cư trú. Trong lúc chờ, vẫn "
                                "có thể nộp hồ sơ trực tiếp tại BHXH cơ sở hoặc gửi "
                                "qua bưu điện.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Tôi đã có mã số BHXH từ hồi đi làm công ty, có phải "
                                "làm mã mới không?"
                            ),
                            "answer": (
                                "<p>Không. Mỗi người chỉ có một mã số BHXH, được kết "
                                "nối với số định danh cá nhân. Bà con ghi mã đã có "
                                "trên tờ khai để toàn bộ thời gian đóng trước đây được "
                                "cộng nối.</p>"
                            ),
                        },
                        {
                            "question": "Khai trên mạng có khó không, ai giúp tôi?",
                            "answer": (
                                "<p>Nếu chưa quen, bà con có thể nhờ con cháu hỗ trợ "
                                "hoặc đến bộ phận một cửa của BHXH cơ sở, cán bộ sẽ "
                                "hướng dẫn từng bước trên điện thoại của chính "
                                "mình.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "button",
                    "text": (
                        "Nộp hồ sơ đăng ký tham gia BHXH, BHYT trực tuyến trên Cổng "
                        "Dịch vụ công quốc gia."
                    ),
                    "label": "Nộp hồ sơ trực tuyến",
                    "url": "https://dichvucong.gov.vn/",
                    "phone": "",
                },
            },
        ],
    },
    {
        "slug": "van-quan-khong-dong-thi-khong-huong-tinh-lai-bai-toan",
        "title": (
            "“Không đóng thì không hưởng”: người buôn hồi ở Văn Quan tính lại bài toán "
            "tuổi già"
        ),
        "intro": (
            "Nhiều chủ hộ kinh doanh hồi, quế ở Văn Quan từng nghĩ “không đóng thì "
            "không hưởng, cũng chẳng sao”. Nhưng khi ốm đau, sinh con hay về già, "
            "khoản tiết kiệm riêng thường không đủ. BHXH cơ sở Văn Quan cùng bà con "
            "tính lại bài toán."
        ),
        "section": "van-quan",
        "units": ["van-quan", "binh-gia"],
        "target_groups": ["ho-kinh-doanh"],
        "tags": ["quyền lợi bhxh", "chủ hộ kinh doanh", "hồi văn quan"],
        "days_ago": 4,
        "cover": {"kicker": "VÌ SAO NÊN THAM GIA", "colour": "#783f04"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Văn Quan là vùng hồi lâu đời của xứ Lạng. Mùa hồi chín, các "
                    "điểm thu mua ở Điềm He, Văn Quan tấp nập người bán, người cân, xe "
                    "chở hàng. Có năm được giá, có năm mất mùa. Vì thế, khi nghe nói "
                    "đến việc đóng BHXH hằng tháng, câu nhiều người đáp lại là: “Không "
                    "đóng thì không hưởng, tôi tự lo được.”</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Tự lo được đến đâu?", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Thực tế, những rủi ro lớn thường đến không báo trước. Một trận "
                    "ốm dài ngày khiến quầy hàng phải đóng cửa; một lần sinh con khiến "
                    "người mẹ phải nghỉ bán vài tháng; tuổi già khiến sức lực không "
                    "còn để leo đồi hái hồi. Tiền tiết kiệm có thể hết sau một lần nằm "
                    "viện, còn BHXH là khoản bảo đảm được chi trả theo "
                    "luật.</p><p>BHXH hoạt động theo nguyên tắc chia sẻ: nhiều người "
                    "cùng đóng để hỗ trợ người gặp rủi ro. Chủ hộ kinh doanh tham gia "
                    "BHXH bắt buộc được hưởng:</p><ul><li><b>Chế độ ốm đau</b>: được "
                    "trợ cấp trong những ngày phải nghỉ để điều trị theo quy "
                    "định;</li><li><b>Chế độ thai sản</b>: được trợ cấp khi sinh "
                    "con;</li><li><b>Chế độ hưu trí</b>: có lương hưu hằng tháng khi "
                    "đủ tuổi và đủ 15 năm đóng, kèm thẻ BHYT do quỹ BHXH "
                    "đóng;</li><li><b>Chế độ tử tuất</b>: thân nhân được hưởng trợ cấp "
                    "mai táng, trợ cấp tuất khi người tham gia không may qua "
                    "đời;</li><li><b>Thẻ BHYT</b>: khi đi khám chữa bệnh được quỹ BHYT "
                    "chi trả theo quy định.</li></ul>"
                ),
            },
            {
                "type": "key_figures",
                "value": {
                    "title": "Vì sao nên bắt đầu sớm",
                    "items": [
                        {
                            "number": "15 năm",
                            "label": (
                                "thời gian đóng tối thiểu để có lương hưu hằng tháng"
                            ),
                        },
                        {
                            "number": "75 tuổi",
                            "label": (
                                "tuổi được xét trợ cấp hưu trí xã hội nếu không có "
                                "lương hưu"
                            ),
                        },
                        {
                            "number": "4 chế độ",
                            "label": (
                                "cùng thẻ BHYT cho chủ hộ kinh doanh tham gia BHXH bắt "
                                "buộc"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "quote",
                "value": {
                    "text": (
                        "Năm ngoái chồng tôi mổ ruột thừa, may có thẻ bảo hiểm y tế "
                        "nên đỡ được nhiều. Từ đó tôi nghĩ khác. Mình đóng là đóng cho "
                        "mình chứ không phải cho ai. Tôi đã đăng ký tham gia, chọn mức "
                        "vừa sức, để sau này già còn có đồng lương, không phải ngửa "
                        "tay xin con."
                    ),
                    "speaker": "Bà Nông Thị Lan",
                    "role": "Chủ hộ thu mua hồi ở xã Điềm He, Văn Quan",
                },
            },
            {
                "type": "heading",
                "value": {"text": "Đừng để đến lúc cần mới tiếc", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": (
                    "<p>Càng tham gia muộn, thời gian tích lũy càng ít. Người bắt đầu "
                    "đóng ở tuổi 50 sẽ khó đủ 15 năm khi đến tuổi nghỉ hưu hơn nhiều "
                    "so với người bắt đầu từ tuổi 40. Mặt khác, thời gian đóng càng "
                    "dài, mức lương hưu càng cao.</p><p>BHXH cơ sở Văn Quan sẵn sàng "
                    "tư vấn tận nơi cho các hộ kinh doanh, hợp tác xã hồi, quế trên "
                    "địa bàn và vùng giáp ranh Bình Gia. Bà con có thể đến trực tiếp, "
                    "nhắn tin qua Zalo của BHXH cơ sở Văn Quan hoặc gọi tổng đài BHXH "
                    "Việt Nam.</p>"
                ),
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Muốn biết tham gia BHXH bắt buộc thì được hưởng những gì? Gọi "
                        "ngay tổng đài BHXH Việt Nam."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
    {
        "slug": "hoi-dap-bhxh-tu-nguyen-va-bhxh-bat-buoc-khac-nhau-the-nao",
        "title": "Hỏi đáp: BHXH tự nguyện và BHXH bắt buộc khác nhau thế nào?",
        "intro": (
            "Nhiều hộ làm thạch đen ở Thất Khê đang đóng BHXH tự nguyện, nay thuộc "
            "diện bắt buộc vì là chủ hộ kinh doanh. Hai loại hình khác nhau ở đâu, "
            "chuyển đổi ra sao? BHXH cơ sở Tràng Định giải đáp những câu hỏi thường "
            "gặp."
        ),
        "section": "trang-dinh",
        "units": ["trang-dinh"],
        "target_groups": ["ho-kinh-doanh", "lao-dong-ban-thoi-gian"],
        "tags": ["hỏi đáp", "bhxh tự nguyện", "bhxh bắt buộc"],
        "days_ago": 1,
        "cover": {"kicker": "HỎI ĐÁP", "colour": "#38761d"},
        "body": [
            {
                "type": "paragraph",
                "value": (
                    "<p>Thạch đen Thất Khê theo những chuyến xe hàng đi khắp nơi. "
                    "Nhiều hộ làm thạch, buôn thạch đã tham gia BHXH tự nguyện từ vài "
                    "năm trước. Khi Luật Bảo hiểm xã hội năm 2024 có hiệu lực, một số "
                    "người trong họ, với tư cách chủ hộ kinh doanh có đăng ký, thuộc "
                    "diện tham gia BHXH bắt buộc. Kèm theo đó là nhiều câu hỏi: có mất "
                    "quyền lợi cũ không, đóng thế nào, được thêm gì?</p>"
                ),
            },
            {"type": "heading", "value": {"text": "Khác nhau ở đâu?", "level": "h2"}},
            {
                "type": "paragraph",
                "value": (
                    "<ul><li><b>BHXH bắt buộc</b> dành cho những người thuộc diện luật "
                    "quy định phải tham gia, như người làm việc theo hợp đồng lao "
                    "động, chủ hộ kinh doanh có đăng ký kinh doanh (theo lộ trình), "
                    "người quản lý hợp tác xã không hưởng lương. Tùy từng nhóm, người "
                    "tham gia được hưởng các chế độ như ốm đau, thai sản, hưu trí, tử "
                    "tuất và được cấp thẻ BHYT.</li><li><b>BHXH tự nguyện</b> dành cho "
                    "người không thuộc diện bắt buộc, được tự chọn mức thu nhập làm "
                    "căn cứ đóng và phương thức đóng. Người tham gia được hưởng chế độ "
                    "hưu trí, tử tuất; từ ngày 1/7/2025 có thêm trợ cấp thai sản khi "
                    "sinh con. Nhà nước hỗ trợ một phần tiền đóng, mức hỗ trợ cao hơn "
                    "với người thuộc hộ nghèo, hộ cận nghèo. BHXH tự nguyện không kèm "
                    "thẻ BHYT, người tham gia cần có BHYT theo hình thức "
                    "khác.</li></ul><p>Điểm chung quan trọng: cả hai loại hình đều "
                    "tính lương hưu khi đủ tuổi nghỉ hưu và đủ 15 năm đóng, và thời "
                    "gian đóng của hai loại hình được cộng nối với nhau.</p>"
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Những câu hỏi thường gặp", "level": "h2"},
            },
            {
                "type": "faq",
                "value": {
                    "title": "Hỏi đáp",
                    "items": [
                        {
                            "question": (
                                "Tôi đang đóng BHXH tự nguyện, nay là chủ hộ kinh "
                                "doanh thuộc diện bắt buộc, có tiếp tục đóng tự nguyện "
                                "được không?"
                            ),
                            "answer": (
                                "<p>Khi đã thuộc diện tham gia BHXH bắt buộc, bà con "
                                "chuyển sang tham gia bắt buộc, không tham gia đồng "
                                "thời cả hai. Hãy báo với BHXH cơ sở để được hướng dẫn "
                                "dừng đóng tự nguyện, tránh đóng trùng.</p>"
                            ),
                        },
                        {
                            "question": "Thời gian đã đóng tự nguyện có bị mất không?",
                            "answer": (
                                "<p>Không. Thời gian đóng BHXH tự nguyện được ghi nhận "
                                "và cộng nối với thời gian đóng BHXH bắt buộc để tính "
                                "hưởng lương hưu, tử tuất.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Chuyển sang bắt buộc thì chủ hộ kinh doanh được thêm "
                                "gì?"
                            ),
                            "answer": (
                                "<p>So với BHXH tự nguyện, chủ hộ kinh doanh tham gia "
                                "BHXH bắt buộc có thêm chế độ ốm đau, chế độ thai sản "
                                "đầy đủ hơn và có thẻ BHYT đi kèm.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Vợ tôi cùng làm thạch nhưng không đứng tên hộ kinh "
                                "doanh thì có tham gia được không?"
                            ),
                            "answer": (
                                "<p>Được. Người không thuộc diện bắt buộc có thể tham "
                                "gia BHXH tự nguyện, tự chọn mức đóng vừa sức và được "
                                "Nhà nước hỗ trợ một phần tiền đóng.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Tôi làm thạch theo mùa cho một cơ sở khác, có hợp "
                                "đồng hai tháng thì sao?"
                            ),
                            "answer": (
                                "<p>Người làm việc theo hợp đồng lao động từ đủ 1 "
                                "tháng trở lên thuộc diện BHXH bắt buộc. Cơ sở thuê "
                                "lao động có trách nhiệm đăng ký và đóng cho người lao "
                                "động.</p>"
                            ),
                        },
                        {
                            "question": (
                                "Tôi 58 tuổi, mới đóng được 8 năm, có nên đóng tiếp "
                                "không?"
                            ),
                            "answer": (
                                "<p>Nên. Bà con có thể đóng tiếp để đủ 15 năm. Nếu đến "
                                "tuổi nghỉ hưu vẫn chưa đủ, luật mới cho phép chọn "
                                "hưởng trợ cấp hằng tháng từ chính khoản đã đóng khi "
                                "chưa đến tuổi hưởng trợ cấp hưu trí xã hội, thay vì "
                                "chỉ có cách nhận một lần. Hãy đến BHXH cơ sở Tràng "
                                "Định để được tính toán cụ thể theo năm sinh của "
                                "mình.</p>"
                            ),
                        },
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "kind": "hotline",
                    "text": (
                        "Chưa chắc mình nên tham gia loại hình nào? Gọi tổng đài BHXH "
                        "Việt Nam hoặc đến BHXH cơ sở Tràng Định."
                    ),
                    "label": "Gọi tổng đài",
                    "url": "",
                    "phone": "1900 9068",
                },
            },
        ],
    },
]
