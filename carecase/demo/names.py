"""Name tables for synthetic people, by community and generation.

Leicester's people on support are about 42% White British and 40% Indian (GUIDE §6.1), most of the
latter from Gujarati Hindu families, with Punjabi Sikh and Gujarati Muslim families too; the city also
has long-settled Caribbean, Pakistani, Bangladeshi, Somali, Irish and Polish communities. "Older" names are
for people born before 1960, "younger" for everyone else. Family names carry weights so that common names
(Smith, Patel, Khan) are as common as they are on a real caseload.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carecase.codes import Ethnicity


@dataclass(frozen=True)
class NamePool:
    key: str
    female_older: tuple[str, ...]
    male_older: tuple[str, ...]
    female_younger: tuple[str, ...]
    male_younger: tuple[str, ...]
    family: tuple[tuple[str, int], ...]
    # Family names used only by women or only by men (Kaur, Singh, Begum), and how often.
    female_family: tuple[str, ...] = ()
    female_family_rate: float = 0.0
    male_family: tuple[str, ...] = ()
    male_family_rate: float = 0.0
    # Gujarati honorifics: "Kantaben" is known as "Kanta".
    female_honorific: str = ""
    male_honorific: str = ""
    honorific_rate: float = 0.0
    older_language: str = "English"
    younger_language: str = "English"
    older_interpreter_rate: float = 0.0
    younger_interpreter_rate: float = 0.0
    place_of_worship: str = ""
    slavic_family: bool = False  # Polish family names take -ska/-cka for women
    interests: tuple[str, ...] = field(default=())


BRITISH = NamePool(
    key="british",
    female_older=(
        "Margaret", "Dorothy", "Joan", "Jean", "Barbara", "Patricia", "Betty", "Doreen", "Eileen", "Sheila",
        "Brenda", "Joyce", "Maureen", "Pauline", "Irene", "Iris", "Edna", "Audrey", "Sylvia", "Mavis",
        "Valerie", "Shirley", "Janet", "Christine", "Susan", "Linda", "Kathleen", "Elizabeth", "Mary", "Ann",
        "Marjorie", "Gwendoline", "Pamela", "Beryl", "June", "Rita", "Elsie", "Winifred", "Hilda", "Gladys",
        "Vera", "Ivy", "Phyllis", "Evelyn", "Jacqueline", "Carol", "Gillian", "Lesley", "Norma", "Rosemary",
        "Florence", "Josephine", "Beatrice", "Constance", "Marion",
    ),
    male_older=(
        "John", "William", "George", "Ronald", "Kenneth", "Peter", "Roy", "Dennis", "Derek", "Brian",
        "Michael", "David", "Alan", "Raymond", "Geoffrey", "Keith", "Frederick", "Albert", "Arthur", "Harold",
        "Leonard", "Stanley", "Ernest", "Walter", "Frank", "Norman", "Eric", "Trevor", "Colin", "Barry",
        "Terence", "Anthony", "Robert", "Thomas", "James", "Edward", "Gordon", "Malcolm", "Graham", "Roger",
        "Clive", "Maurice", "Reginald", "Cyril", "Sidney", "Bernard", "Gerald", "Henry", "Charles", "Douglas",
    ),
    female_younger=(
        "Sarah", "Emma", "Claire", "Lisa", "Michelle", "Rebecca", "Laura", "Gemma", "Nicola", "Joanne",
        "Kelly", "Amy", "Hannah", "Charlotte", "Jessica", "Sophie", "Lauren", "Stacey", "Donna", "Karen",
        "Tracey", "Julie", "Dawn", "Helen", "Victoria", "Katie", "Chloe", "Jade", "Natalie", "Kerry",
        "Samantha", "Leanne", "Zoe", "Ellie", "Megan", "Rachel", "Louise", "Amanda", "Kirsty", "Danielle",
    ),
    male_younger=(
        "James", "Daniel", "Mark", "Paul", "Lee", "Craig", "Ryan", "Jamie", "Matthew", "Christopher",
        "Andrew", "Stephen", "Richard", "Darren", "Wayne", "Gary", "Dean", "Jason", "Adam", "Luke",
        "Thomas", "Liam", "Jack", "Callum", "Nathan", "Kieran", "Scott", "Carl", "Shaun", "Simon",
        "Neil", "Martin", "Jonathan", "Benjamin", "Joshua", "Aaron", "Sam", "Connor", "Jordan", "Kevin",
    ),
    family=(
        ("Smith", 10), ("Jones", 6), ("Taylor", 6), ("Brown", 5), ("Williams", 5), ("Wilson", 4),
        ("Johnson", 4), ("Davies", 3), ("Robinson", 3), ("Wright", 4), ("Thompson", 3), ("Evans", 3),
        ("Walker", 3), ("White", 3), ("Roberts", 3), ("Green", 3), ("Hall", 3), ("Wood", 3), ("Jackson", 3),
        ("Clarke", 3), ("Harris", 3), ("Lewis", 2), ("Turner", 3), ("Hill", 3), ("Cooper", 3), ("Ward", 3),
        ("Moore", 2), ("King", 2), ("Baker", 2), ("Allen", 2), ("Martin", 2), ("Mason", 2), ("Bailey", 2),
        ("Bennett", 2), ("Marshall", 2), ("Chapman", 2), ("Shaw", 2), ("Hughes", 2), ("Edwards", 2),
        ("Morris", 2), ("Price", 2), ("Cox", 2), ("Parker", 2), ("Simpson", 2), ("Watson", 2), ("Wells", 2),
        ("Harrison", 2), ("Palmer", 2), ("Gibson", 2), ("Lee", 2), ("Holmes", 1), ("Pearson", 1),
        ("Spencer", 1), ("Webb", 1), ("Burton", 1), ("Ellis", 1), ("Kirk", 1), ("Bott", 1), ("Orton", 1),
        ("Pickering", 1), ("Hextall", 1), ("Tebbutt", 1), ("Hollis", 1), ("Freer", 1), ("Peberdy", 1),
        ("Brewin", 1), ("Starbuck", 1), ("Gamble", 1), ("Henson", 1), ("Kilby", 1), ("Sharpe", 1),
        ("Glover", 1), ("Newbold", 1), ("Bromley", 1), ("Dakin", 1), ("Goodwin", 1), ("Cartwright", 1),
        ("Dunkley", 1), ("Herbert", 1), ("Haywood", 1), ("Stapleton", 1), ("Iliffe", 1), ("Toon", 1),
        ("Woodward", 1), ("Bates", 1), ("Chamberlain", 1), ("Astill", 1), ("Bonser", 1), ("Cufflin", 1),
    ),
    place_of_worship="church",
    interests=(
        "the allotment", "watching the cricket", "looking after the budgie", "the Thursday lunch club", "bowls",
        "doing the crossword", "seeing the grandchildren on Sundays", "walking the dog in the park",
        "the bingo at the social club", "following Leicester City", "knitting for the baby unit",
        "gardening", "the choir at the community centre",
    ),
)

GUJARATI_HINDU = NamePool(
    key="gujarati_hindu",
    female_older=(
        "Kanta", "Savita", "Pushpa", "Shanta", "Manjula", "Hansa", "Kusum", "Jaya", "Sarla", "Indira",
        "Vimla", "Ramila", "Bhanu", "Lata", "Nirmala", "Usha", "Kamla", "Sushila", "Jyotsna", "Madhu",
        "Pramila", "Saroj", "Shobha", "Urmila", "Vasanti", "Lalita", "Chandrika", "Kokila", "Nalini", "Daxa",
        "Harsha", "Indu", "Tara", "Parvati", "Dhanlaxmi", "Manju", "Minaxi", "Ranjan", "Sudha", "Kanchan",
    ),
    male_older=(
        "Ramesh", "Mahendra", "Suresh", "Dinesh", "Pravin", "Jayant", "Naresh", "Harish", "Kishor", "Vinod",
        "Chandrakant", "Dhirajlal", "Navin", "Arvind", "Bhupendra", "Mohan", "Ashok", "Hasmukh", "Jitendra",
        "Kantilal", "Manharlal", "Natwarlal", "Prakash", "Rajnikant", "Vasant", "Yogesh", "Anil", "Bharat",
        "Girish", "Haridas", "Jagdish", "Kirit", "Mukesh", "Nitin", "Pankaj", "Rasik", "Shashikant", "Umesh",
        "Vallabh", "Dilip",
    ),
    female_younger=(
        "Priya", "Anjali", "Nisha", "Reena", "Meera", "Pooja", "Hetal", "Bhavna", "Dipti", "Kavita",
        "Komal", "Nikita", "Sonal", "Shreya", "Trupti", "Rupal", "Krupa", "Mital", "Heena", "Alpa",
        "Falguni", "Kajal", "Mansi", "Riya", "Divya", "Ishani", "Khushi", "Aarti", "Jigna", "Nehal",
    ),
    male_younger=(
        "Raj", "Amit", "Sanjay", "Vijay", "Nikhil", "Rakesh", "Hitesh", "Kalpesh", "Nilesh", "Mitesh",
        "Ketan", "Jignesh", "Paresh", "Rajesh", "Sunil", "Deepak", "Manish", "Hiren", "Chirag", "Kunal",
        "Rohan", "Jay", "Karan", "Dhruv", "Arjun", "Neel", "Sachin", "Tushar", "Bhavesh", "Darshan",
    ),
    family=(
        ("Patel", 30), ("Mistry", 6), ("Parmar", 5), ("Solanki", 4), ("Chauhan", 4), ("Lad", 2),
        ("Chavda", 3), ("Joshi", 3), ("Pandya", 2), ("Shah", 4), ("Mehta", 2), ("Lakhani", 2), ("Kotecha", 2),
        ("Thakrar", 2), ("Ruparelia", 2), ("Tailor", 3), ("Makwana", 3), ("Gohil", 2), ("Bhatt", 2),
        ("Vaghela", 2), ("Modha", 1), ("Pattni", 1), ("Raval", 1), ("Dave", 2), ("Trivedi", 1), ("Valand", 2),
        ("Jethwa", 2), ("Karia", 2), ("Popat", 2), ("Chudasama", 1), ("Sodha", 1), ("Rathod", 2),
        ("Gajjar", 1), ("Jadeja", 1), ("Kara", 1), ("Morjaria", 1), ("Nathwani", 1), ("Odedra", 1),
        ("Vadher", 1), ("Unadkat", 1), ("Thakkar", 2), ("Soni", 2), ("Bhundia", 1), ("Lukka", 1),
        ("Rughani", 1), ("Hirani", 1), ("Jobanputra", 1), ("Kanabar", 1), ("Majithia", 1), ("Pindoria", 1),
    ),
    female_honorific="ben",
    male_honorific="bhai",
    honorific_rate=0.4,
    older_language="Gujarati",
    older_interpreter_rate=0.45,
    place_of_worship="the mandir",
    interests=(
        "going to the mandir on Belgrave Road", "cooking for the family at Diwali", "the seniors' group at the "
        "community centre", "watching Gujarati films with the family", "bhajan singing on Tuesdays",
        "helping with the grandchildren after school", "the day centre lunch club", "walking in Abbey Park",
    ),
)

PUNJABI_SIKH = NamePool(
    key="punjabi_sikh",
    female_older=(
        "Gurmeet", "Harbans", "Surinder", "Jaswinder", "Kuldip", "Balwinder", "Manjit", "Paramjit", "Jasbir",
        "Sukhwinder", "Charanjit", "Harjinder", "Kulwant", "Amarjit", "Rajinder", "Satwant", "Swaran",
        "Joginder", "Nirmal", "Pritam", "Kamaljit", "Davinder",
    ),
    male_older=(
        "Gurdev", "Harjit", "Balbir", "Ajit", "Mohinder", "Gurbachan", "Sohan", "Kartar", "Piara", "Jagir",
        "Darshan", "Hardev", "Baldev", "Jaswant", "Avtar", "Gurmail", "Sucha", "Amrik", "Lakhbir",
        "Tarlochan", "Harbhajan", "Sarwan", "Kewal", "Malkiat", "Resham",
    ),
    female_younger=(
        "Harpreet", "Jaspreet", "Simran", "Manpreet", "Navdeep", "Amandeep", "Gurpreet", "Rajvinder", "Kiran",
        "Sukhjeet", "Jasleen", "Ravneet", "Harleen", "Pavandeep", "Sandeep",
    ),
    male_younger=(
        "Harpreet", "Jaspreet", "Gurpreet", "Manpreet", "Amandeep", "Jaspal", "Sukhdev", "Rajveer", "Hardeep",
        "Navjot", "Jasdeep", "Kulvinder", "Sandeep", "Ranjit", "Inderjit",
    ),
    family=(
        ("Sandhu", 3), ("Gill", 4), ("Bains", 2), ("Dhillon", 3), ("Johal", 2), ("Sahota", 2), ("Sidhu", 2),
        ("Kang", 2), ("Bassi", 2), ("Bhogal", 2), ("Dhaliwal", 2), ("Grewal", 2), ("Heer", 1), ("Mann", 2),
        ("Rai", 2), ("Sangha", 2), ("Virdee", 1), ("Atwal", 1), ("Chahal", 1), ("Kalsi", 1), ("Sohal", 1),
        ("Hayer", 1), ("Kooner", 1), ("Lall", 1), ("Mahal", 1),
    ),
    female_family=("Kaur",),
    female_family_rate=0.45,
    male_family=("Singh",),
    male_family_rate=0.45,
    older_language="Punjabi",
    older_interpreter_rate=0.4,
    place_of_worship="the gurdwara",
    interests=(
        "going to the gurdwara on Sundays", "helping in the langar kitchen", "the vegetable patch",
        "the seniors' group at the gurdwara", "Punjabi radio in the mornings", "time with the grandchildren",
    ),
)

GUJARATI_MUSLIM = NamePool(
    key="gujarati_muslim",
    female_older=(
        "Hawa", "Khadija", "Amina", "Fatima", "Zubeda", "Mariam", "Rabia", "Ayesha", "Hajra", "Zainab",
        "Safiya", "Sakina", "Rukaiya", "Halima", "Mumtaz", "Jamila", "Shirin", "Kulsum", "Ruksana", "Yasmin",
    ),
    male_older=(
        "Yusuf", "Ibrahim", "Ismail", "Abdul", "Ahmed", "Mohammed", "Suleman", "Ebrahim", "Hussein", "Musa",
        "Adam", "Dawood", "Hanif", "Iqbal", "Rafiq", "Salim", "Yakub", "Haroon", "Idris", "Gulam",
    ),
    female_younger=("Aisha", "Sumaiya", "Safa", "Nafisa", "Sana", "Zara", "Hafsa", "Mariyam", "Anisa", "Huda"),
    male_younger=("Bilal", "Imran", "Zakariya", "Yaseen", "Irfan", "Junaid", "Faisal", "Hamza", "Usman", "Zubair"),
    family=(
        ("Patel", 8), ("Loonat", 1), ("Bhayat", 1), ("Dadabhai", 1), ("Mulla", 2), ("Desai", 2), ("Hafeji", 1),
        ("Mogra", 1), ("Master", 1), ("Lunat", 1), ("Kadodia", 1), ("Valli", 2), ("Vohra", 2), ("Memon", 2),
        ("Chhibda", 1), ("Daya", 1), ("Hussain", 2), ("Ismail", 2), ("Motala", 1), ("Adam", 1),
    ),
    older_language="Gujarati",
    older_interpreter_rate=0.35,
    place_of_worship="the mosque",
    interests=(
        "going to the mosque for Friday prayers", "the sisters' coffee morning", "cooking for Eid",
        "visits from the grandchildren", "walks in Spinney Hill Park",
    ),
)

PAKISTANI = NamePool(
    key="pakistani",
    female_older=(
        "Nasreen", "Shamim", "Razia", "Parveen", "Fatima", "Zubeda", "Rukhsana", "Shazia", "Samina", "Naseem",
        "Bushra", "Tahira", "Shaheen", "Nusrat", "Rehana", "Kausar", "Zarina", "Sughra", "Zahida", "Rashida",
    ),
    male_older=(
        "Mohammed", "Abdul", "Muhammad", "Tariq", "Zafar", "Nasir", "Shabir", "Bashir", "Nazir", "Rashid",
        "Aslam", "Akram", "Javed", "Khalid", "Mahmood", "Sarwar", "Younis", "Iqbal", "Arshad", "Ghulam",
    ),
    female_younger=("Ayesha", "Sana", "Hira", "Maryam", "Amna", "Iqra", "Saima", "Nadia", "Mehwish", "Sidra"),
    male_younger=("Imran", "Adeel", "Bilal", "Usman", "Faisal", "Kashif", "Zeeshan", "Umar", "Hamza", "Asif"),
    family=(
        ("Khan", 8), ("Hussain", 6), ("Ahmed", 5), ("Ali", 5), ("Akhtar", 3), ("Iqbal", 3), ("Mahmood", 3),
        ("Rashid", 2), ("Shah", 2), ("Butt", 2), ("Malik", 3), ("Mirza", 2), ("Qureshi", 2), ("Raja", 2),
        ("Bashir", 2), ("Aslam", 2), ("Javed", 1), ("Riaz", 1), ("Nawaz", 1), ("Anwar", 2),
    ),
    female_family=("Begum", "Bibi"),
    female_family_rate=0.25,
    older_language="Urdu",
    older_interpreter_rate=0.4,
    place_of_worship="the mosque",
    interests=(
        "going to the mosque", "visits from family", "cooking for the family", "cricket on the television",
        "the over-60s group at the community centre",
    ),
)

BANGLADESHI = NamePool(
    key="bangladeshi",
    female_older=(
        "Rahima", "Jahanara", "Rokeya", "Shahena", "Momtaz", "Anwara", "Rahela", "Jamila", "Nurjahan", "Sufia",
        "Rabeya", "Khaleda",
    ),
    male_older=(
        "Abdul", "Syed", "Jamal", "Mohammed", "Abul", "Nurul", "Shamsul", "Anwar", "Moinul", "Rafiq", "Habibur",
        "Mujibur",
    ),
    female_younger=("Tasnim", "Sadia", "Nusrat", "Farhana", "Sumaya", "Tahmina", "Shirin", "Rumana", "Salma"),
    male_younger=("Rahim", "Shahid", "Sohel", "Rubel", "Jahid", "Tanvir", "Rashed", "Kamrul", "Arif"),
    family=(
        ("Miah", 5), ("Uddin", 5), ("Rahman", 5), ("Islam", 4), ("Ali", 3), ("Ahmed", 3), ("Chowdhury", 3),
        ("Hussain", 2), ("Hoque", 2), ("Alam", 2),
    ),
    female_family=("Begum", "Khatun"),
    female_family_rate=0.35,
    older_language="Bengali (Sylheti)",
    older_interpreter_rate=0.5,
    place_of_worship="the mosque",
    interests=("going to the mosque", "time with the grandchildren", "cooking with the family"),
)

TAMIL = NamePool(
    key="tamil",
    female_older=(
        "Parameswari", "Sivaranee", "Kamala", "Thangamma", "Saraswathy", "Rasamma", "Pushpamalar", "Vasanthy",
        "Yogeswari", "Mahesvary",
    ),
    male_older=(
        "Sivakumar", "Kandiah", "Thevarajah", "Balasubramaniam", "Ponnampalam", "Rajaratnam", "Selvarajah",
        "Navaratnam", "Kanagaratnam", "Sinnathurai",
    ),
    female_younger=("Tharshini", "Kavitha", "Nirosha", "Janani", "Abirami", "Sharmila", "Dharshika", "Luxmi"),
    male_younger=("Tharshan", "Kajan", "Niroshan", "Prashanth", "Mayuran", "Sajeevan", "Thusyanthan", "Dinesh"),
    family=(
        ("Sivakumar", 2), ("Thevarajah", 2), ("Selvarajah", 2), ("Kandiah", 2), ("Rajendran", 2), ("Ratnam", 1),
        ("Yogarajah", 1), ("Nadarajah", 2), ("Kumar", 2), ("Balachandran", 1), ("Sritharan", 1),
        ("Mahalingam", 1),
    ),
    older_language="Tamil",
    older_interpreter_rate=0.4,
    place_of_worship="the temple",
    interests=("going to the temple", "Tamil radio", "the family's weekly video call with Jaffna"),
)

FILIPINO = NamePool(
    key="filipino",
    female_older=("Maria", "Rosario", "Cristina", "Teresita", "Josephine", "Lourdes", "Erlinda", "Corazon"),
    male_older=("Jose", "Rodolfo", "Eduardo", "Renato", "Ernesto", "Romeo", "Danilo"),
    female_younger=("Angelica", "Kristine", "Joy", "Mary Grace", "Liezel", "Rowena", "Jennifer"),
    male_younger=("Mark", "Jerome", "Ronald", "Paolo", "Christian", "Ramon"),
    family=(
        ("Santos", 3), ("Reyes", 3), ("Cruz", 2), ("Bautista", 2), ("Garcia", 2), ("Mendoza", 2),
        ("Dela Cruz", 2), ("Villanueva", 1), ("Ramos", 1), ("Aquino", 1),
    ),
    older_language="Tagalog",
    older_interpreter_rate=0.1,
    place_of_worship="church",
    interests=("Sunday mass", "karaoke with friends", "cooking for church events"),
)

CARIBBEAN = NamePool(
    key="caribbean",
    female_older=(
        "Hyacinth", "Beverley", "Claudette", "Marcia", "Pauline", "Icilda", "Gloria", "Myrtle", "Enid",
        "Cynthia", "Merle", "Sonia", "Lorna", "Veronica", "Joyce", "Hortense", "Carmen", "Daphne", "Yvonne",
        "Monica",
    ),
    male_older=(
        "Winston", "Delroy", "Everton", "Errol", "Lloyd", "Clinton", "Cecil", "Leroy", "Aston", "Fitzroy",
        "Neville", "Desmond", "Carlton", "Rupert", "Vincent", "Clifford", "Lenford", "Hubert", "Roydon", "Cedric",
    ),
    female_younger=(
        "Shanice", "Tiana", "Kerry-Ann", "Latoya", "Simone", "Keisha", "Chantelle", "Danielle", "Jodie", "Tanisha",
    ),
    male_younger=("Marlon", "Andre", "Jermaine", "Dwayne", "Kyle", "Tyrone", "Leon", "Curtis", "Jerome", "Dean"),
    family=(
        ("Campbell", 4), ("Brown", 4), ("Williams", 4), ("Thomas", 3), ("Francis", 3), ("Grant", 3),
        ("Henry", 2), ("Morgan", 2), ("Reid", 3), ("McKenzie", 2), ("Bailey", 2), ("Clarke", 3), ("Edwards", 2),
        ("Johnson", 3), ("Lewis", 2), ("Robinson", 2), ("Stewart", 2), ("Walker", 2), ("Wright", 2),
        ("Gordon", 2), ("Samuels", 1), ("Brissett", 1), ("Forbes", 1), ("Hylton", 1), ("Powell", 2),
        ("Ricketts", 1), ("Spence", 1), ("Gayle", 1), ("McLean", 1), ("Bryan", 1),
    ),
    place_of_worship="church",
    interests=(
        "church on Sundays", "dominoes at the African Caribbean Centre", "cooking Sunday dinner",
        "reggae and gospel music", "the luncheon club",
    ),
)

SOMALI = NamePool(
    key="somali",
    female_older=(
        "Fadumo", "Hodan", "Asha", "Sahra", "Amina", "Halimo", "Khadra", "Maryan", "Hawo", "Ubah", "Shukri",
        "Sadia", "Nimo", "Ifrah",
    ),
    male_older=(
        "Mohamed", "Abdi", "Hassan", "Ahmed", "Ali", "Omar", "Yusuf", "Abdullahi", "Ismail", "Farah", "Hussein",
        "Ibrahim", "Osman", "Aden", "Said",
    ),
    female_younger=("Ayan", "Hamdi", "Sumaya", "Ikran", "Najma", "Hibo", "Filsan", "Muna"),
    male_younger=("Abdirahman", "Abdirizak", "Mustafe", "Liban", "Khalid", "Yasin", "Bashir", "Zakaria"),
    family=(
        ("Mohamed", 4), ("Abdi", 3), ("Hassan", 3), ("Farah", 3), ("Warsame", 2), ("Ali", 3), ("Ahmed", 3),
        ("Omar", 2), ("Jama", 2), ("Hussein", 2), ("Osman", 2), ("Yusuf", 2), ("Nur", 1), ("Egal", 1),
        ("Duale", 1), ("Ismail", 1), ("Adan", 1), ("Elmi", 1), ("Hirsi", 1), ("Guled", 1),
    ),
    older_language="Somali",
    older_interpreter_rate=0.5,
    younger_interpreter_rate=0.05,
    place_of_worship="the mosque",
    interests=("going to the mosque", "the Somali elders' group", "visits from the family"),
)

WEST_AFRICAN = NamePool(
    key="west_african",
    female_older=(
        "Grace", "Comfort", "Patience", "Blessing", "Esther", "Mercy", "Felicia", "Abena", "Adwoa", "Ngozi",
        "Chipo", "Tendai",
    ),
    male_older=(
        "Kwame", "Kofi", "Emmanuel", "Samuel", "Joseph", "Daniel", "Chukwuemeka", "Oluwaseun", "Tinashe",
        "Tafadzwa", "Obinna", "Isaac",
    ),
    female_younger=("Chiamaka", "Adaeze", "Rutendo", "Nyasha", "Esi", "Temitope", "Funmilayo", "Precious"),
    male_younger=("Tobi", "Kelechi", "Tatenda", "Kudakwashe", "Femi", "Kojo", "Ayodele", "Chidi"),
    family=(
        ("Okafor", 2), ("Mensah", 2), ("Adeyemi", 2), ("Osei", 2), ("Boateng", 2), ("Owusu", 2), ("Moyo", 2),
        ("Ncube", 2), ("Adebayo", 1), ("Okonkwo", 1), ("Asante", 1), ("Mutasa", 1), ("Sibanda", 1),
        ("Nwosu", 1), ("Appiah", 1),
    ),
    place_of_worship="church",
    interests=("church on Sundays", "the choir", "phoning family back home", "cooking jollof for the family"),
)

IRISH = NamePool(
    key="irish",
    female_older=(
        "Mary", "Bridget", "Kathleen", "Margaret", "Eileen", "Teresa", "Sheila", "Noreen", "Maureen",
        "Philomena", "Catherine", "Josephine",
    ),
    male_older=(
        "Patrick", "Michael", "John", "Sean", "Thomas", "Joseph", "Brendan", "Dermot", "Kevin", "Francis",
        "Martin", "Gerard",
    ),
    female_younger=("Siobhan", "Niamh", "Aoife", "Ciara", "Roisin", "Sinead", "Orla", "Claire"),
    male_younger=("Declan", "Conor", "Ciaran", "Eoin", "Liam", "Niall", "Padraig", "Sean"),
    family=(
        ("Murphy", 3), ("Kelly", 3), ("O'Brien", 2), ("Byrne", 2), ("Ryan", 2), ("Doyle", 2), ("O'Connor", 2),
        ("O'Sullivan", 1), ("Walsh", 2), ("McCarthy", 2), ("Gallagher", 1), ("Kennedy", 1), ("Lynch", 1),
        ("Quinn", 1), ("Brennan", 1), ("Flanagan", 1), ("Keane", 1), ("Nolan", 1), ("Duffy", 1),
        ("Fitzgerald", 1),
    ),
    place_of_worship="church",
    interests=("mass at Holy Cross", "the Irish centre", "the racing on a Saturday", "traditional music"),
)

POLISH = NamePool(
    key="polish",
    female_older=(
        "Krystyna", "Halina", "Danuta", "Barbara", "Janina", "Teresa", "Zofia", "Irena", "Elzbieta", "Maria",
        "Jadwiga", "Stanislawa",
    ),
    male_older=(
        "Stanislaw", "Jan", "Jozef", "Tadeusz", "Andrzej", "Kazimierz", "Zbigniew", "Henryk", "Jerzy",
        "Wladyslaw", "Czeslaw", "Marian",
    ),
    female_younger=(
        "Agnieszka", "Katarzyna", "Anna", "Magdalena", "Joanna", "Monika", "Justyna", "Ewa", "Karolina", "Natalia",
    ),
    male_younger=(
        "Krzysztof", "Tomasz", "Piotr", "Marcin", "Pawel", "Michal", "Lukasz", "Kamil", "Marek", "Dariusz",
    ),
    family=(
        ("Nowak", 3), ("Kowalski", 3), ("Wisniewski", 2), ("Wojcik", 2), ("Kowalczyk", 2), ("Kaminski", 2),
        ("Lewandowski", 2), ("Zielinski", 1), ("Szymanski", 1), ("Wozniak", 2), ("Dabrowski", 1),
        ("Kozlowski", 1), ("Jankowski", 1), ("Mazur", 1), ("Krawczyk", 1), ("Piotrowski", 1), ("Grabowski", 1),
        ("Nowakowski", 1), ("Pawlowski", 1), ("Michalski", 1),
    ),
    older_language="Polish",
    younger_language="Polish",
    older_interpreter_rate=0.5,
    younger_interpreter_rate=0.2,
    place_of_worship="the Polish church",
    slavic_family=True,
    interests=("mass at the Polish church", "the Polish club", "the garden"),
)

EUROPEAN = NamePool(
    key="european",
    female_older=("Maria", "Rosa", "Giuseppina", "Eleni", "Ana", "Fernanda", "Carmela", "Despina"),
    male_older=("Giuseppe", "Antonio", "Manuel", "Georgios", "Joaquim", "Salvatore", "Andreas", "Vytautas"),
    female_younger=("Ioana", "Andreea", "Ines", "Giulia", "Rasa", "Elena"),
    male_younger=("Andrei", "Bogdan", "Tiago", "Marco", "Mantas", "Nikos"),
    family=(
        ("Rossi", 1), ("Russo", 1), ("Esposito", 1), ("Silva", 2), ("Santos", 1), ("Ferreira", 1), ("Costa", 1),
        ("Papadopoulos", 1), ("Georgiou", 1), ("Popescu", 1), ("Ionescu", 1), ("Kazlauskas", 1),
        ("Petrauskas", 1), ("Rodrigues", 1), ("Pereira", 1),
    ),
    place_of_worship="church",
    interests=("cooking for the family", "football on the television", "the garden"),
)

CHINESE = NamePool(
    key="chinese",
    female_older=("Siu Ling", "Mei Ling", "Yuk Lan", "Kwai Fong", "Lai Wah", "Wai Ling", "So Ying"),
    male_older=("Kwok Wah", "Chi Keung", "Wing Hong", "Kam Fai", "Man Kit", "Yiu Ming", "Wai Man"),
    female_younger=("Jenny", "Michelle", "Amy", "Wendy", "Vivian"),
    male_younger=("Kevin", "Jason", "Eric", "Kelvin", "Alan"),
    family=(
        ("Wong", 3), ("Chan", 3), ("Lee", 2), ("Cheung", 2), ("Lam", 2), ("Li", 1), ("Ho", 1), ("Ng", 1),
        ("Chen", 1), ("Wang", 1), ("Tang", 1), ("Leung", 1), ("Yip", 1), ("Chow", 1), ("Lau", 1),
    ),
    older_language="Cantonese",
    older_interpreter_rate=0.5,
    interests=("mahjong with friends", "tai chi in the park", "the Chinese community centre lunch"),
)

ARAB = NamePool(
    key="arab",
    female_older=("Fatima", "Zahra", "Layla", "Khadija", "Maryam", "Samira", "Nadia", "Huda"),
    male_older=("Ahmad", "Hassan", "Ali", "Mahmoud", "Khalil", "Omar", "Karim", "Jamal"),
    female_younger=("Noor", "Rana", "Dina", "Lina", "Yasmin"),
    male_younger=("Mustafa", "Ammar", "Hussein", "Yousef", "Ahmad"),
    family=(
        ("Haddad", 1), ("Khalil", 1), ("Mansour", 1), ("Saleh", 1), ("Abbas", 1), ("Karimi", 1), ("Ahmadi", 1),
        ("Rahimi", 1), ("Hamid", 1), ("Aziz", 1), ("Nasser", 1),
    ),
    older_language="Arabic",
    older_interpreter_rate=0.5,
    younger_interpreter_rate=0.1,
    place_of_worship="the mosque",
    interests=("going to the mosque", "phoning family abroad", "cooking for visitors"),
)

POOLS = {
    pool.key: pool
    for pool in (
        BRITISH, GUJARATI_HINDU, PUNJABI_SIKH, GUJARATI_MUSLIM, PAKISTANI, BANGLADESHI, TAMIL, FILIPINO,
        CARIBBEAN, SOMALI, WEST_AFRICAN, IRISH, POLISH, EUROPEAN, CHINESE, ARAB,
    )
}

# For each recorded ethnicity: (pool for the given name, pool for the family name, weight).
ETHNICITY_POOLS: dict[str, tuple[tuple[str, str, float], ...]] = {
    Ethnicity.WHITE_BRITISH: (("british", "british", 1),),
    Ethnicity.WHITE_IRISH: (("irish", "irish", 1),),
    Ethnicity.WHITE_GYPSY: (("british", "british", 1),),
    Ethnicity.WHITE_ROMA: (("european", "european", 1),),
    Ethnicity.WHITE_OTHER: (("polish", "polish", 0.55), ("european", "european", 0.45)),
    Ethnicity.MIXED_WBC: (("british", "caribbean", 0.5), ("caribbean", "british", 0.2), ("british", "british", 0.3)),
    Ethnicity.MIXED_WBA: (("british", "west_african", 0.5), ("west_african", "british", 0.5)),
    Ethnicity.MIXED_WA: (("british", "gujarati_hindu", 0.4), ("gujarati_hindu", "british", 0.3),
                         ("british", "punjabi_sikh", 0.3)),
    Ethnicity.MIXED_OTHER: (("british", "european", 0.5), ("caribbean", "gujarati_hindu", 0.5)),
    Ethnicity.INDIAN: (("gujarati_hindu", "gujarati_hindu", 0.70), ("punjabi_sikh", "punjabi_sikh", 0.18),
                       ("gujarati_muslim", "gujarati_muslim", 0.12)),
    Ethnicity.PAKISTANI: (("pakistani", "pakistani", 1),),
    Ethnicity.BANGLADESHI: (("bangladeshi", "bangladeshi", 1),),
    Ethnicity.CHINESE: (("chinese", "chinese", 1),),
    Ethnicity.ASIAN_OTHER: (("gujarati_muslim", "gujarati_muslim", 0.3), ("tamil", "tamil", 0.4),
                            ("filipino", "filipino", 0.3)),
    Ethnicity.CARIBBEAN: (("caribbean", "caribbean", 1),),
    Ethnicity.AFRICAN: (("somali", "somali", 0.6), ("west_african", "west_african", 0.4)),
    Ethnicity.BLACK_OTHER: (("caribbean", "caribbean", 0.6), ("west_african", "west_african", 0.4)),
    Ethnicity.ARAB: (("arab", "arab", 1),),
    Ethnicity.OTHER: (("arab", "arab", 0.5), ("european", "european", 0.5)),
    Ethnicity.DECLINED: (("british", "british", 0.6), ("gujarati_hindu", "gujarati_hindu", 0.4)),
    Ethnicity.NOT_RECORDED: (("british", "british", 0.5), ("gujarati_hindu", "gujarati_hindu", 0.4),
                             ("pakistani", "pakistani", 0.1)),
}

# People on support in Leicester: the home-care shares in GUIDE §6.1 (every other group 1.6% or less).
LEICESTER_ETHNICITY: tuple[tuple[str, float], ...] = (
    (Ethnicity.WHITE_BRITISH, 42.0), (Ethnicity.INDIAN, 39.8), (Ethnicity.NOT_RECORDED, 3.8),
    (Ethnicity.ASIAN_OTHER, 3.3), (Ethnicity.CARIBBEAN, 2.0), (Ethnicity.PAKISTANI, 1.7),
    (Ethnicity.AFRICAN, 1.5), (Ethnicity.WHITE_OTHER, 1.4), (Ethnicity.WHITE_IRISH, 1.0),
    (Ethnicity.MIXED_WBC, 0.8), (Ethnicity.BANGLADESHI, 0.6), (Ethnicity.CHINESE, 0.3), (Ethnicity.MIXED_WA, 0.3),
    (Ethnicity.MIXED_OTHER, 0.3), (Ethnicity.ARAB, 0.3), (Ethnicity.OTHER, 0.4), (Ethnicity.BLACK_OTHER, 0.2),
    (Ethnicity.WHITE_GYPSY, 0.1), (Ethnicity.DECLINED, 0.2),
)

# Leicestershire outside the city is much less diverse (Census 2021, suggested for older people on support).
COUNTY_ETHNICITY: tuple[tuple[str, float], ...] = (
    (Ethnicity.WHITE_BRITISH, 86.0), (Ethnicity.INDIAN, 5.5), (Ethnicity.NOT_RECORDED, 3.0),
    (Ethnicity.WHITE_OTHER, 1.5), (Ethnicity.WHITE_IRISH, 1.0), (Ethnicity.ASIAN_OTHER, 0.8),
    (Ethnicity.MIXED_WBC, 0.5), (Ethnicity.CARIBBEAN, 0.5), (Ethnicity.PAKISTANI, 0.4), (Ethnicity.AFRICAN, 0.3),
    (Ethnicity.CHINESE, 0.2), (Ethnicity.MIXED_WA, 0.2), (Ethnicity.WHITE_GYPSY, 0.1),
)

# The names people go by. Used as preferred names for about a quarter of the people who have one.
NICKNAMES = {
    "Margaret": ("Peggy", "Maggie", "Margie"), "Elizabeth": ("Betty", "Liz", "Beth"), "William": ("Bill",),
    "Robert": ("Bob",), "Edward": ("Ted", "Eddie"), "Dorothy": ("Dot", "Dolly"), "Patricia": ("Pat", "Trish"),
    "Kathleen": ("Kath",), "Frederick": ("Fred",), "Albert": ("Bert",), "Henry": ("Harry",), "James": ("Jim",),
    "Anthony": ("Tony",), "Michael": ("Mick", "Mike"), "Susan": ("Sue",), "Christine": ("Chris",),
    "Jacqueline": ("Jackie",), "Thomas": ("Tom", "Tommy"), "Leonard": ("Len",), "Ronald": ("Ron", "Ronnie"),
    "Kenneth": ("Ken",), "Gerald": ("Gerry",), "Josephine": ("Jo",), "Winifred": ("Winnie",),
    "Florence": ("Flo",), "Beatrice": ("Beattie",), "Raymond": ("Ray",), "Terence": ("Terry",),
    "Stanley": ("Stan",), "Walter": ("Wally",), "Douglas": ("Doug",), "Reginald": ("Reg",), "Sidney": ("Sid",),
    "Joseph": ("Joe",), "Constance": ("Connie",), "Gwendoline": ("Gwen",), "Marjorie": ("Marje",),
    "Christopher": ("Chris",), "Matthew": ("Matt",), "Benjamin": ("Ben",), "Samantha": ("Sam",),
    "Jonathan": ("Jon",), "Rebecca": ("Becky",), "Victoria": ("Vicky",), "Nicola": ("Nicky",),
    "Mohammed": ("Mo",), "Muhammad": ("Mo",), "Dhirajlal": ("Dhiru",), "Chandrakant": ("Chandu",),
    "Natwarlal": ("Natu",), "Rajnikant": ("Raju",), "Bhupendra": ("Bhupi",), "Manharlal": ("Manu",),
    "Shashikant": ("Shashi",), "Balasubramaniam": ("Bala",), "Kanagaratnam": ("Kanags",),
    "Abdirahman": ("Abdi",), "Giuseppe": ("Joe",), "Stanislaw": ("Stan",), "Krzysztof": ("Chris",),
    "Hyacinth": ("Cynthia",), "Icilda": ("Ida",),
}


def family_form(pool: NamePool, family: str, female: bool) -> str:
    """Polish family names agree with gender: Kowalski, Kowalska."""
    if pool.slavic_family:
        if female and family.endswith(("ski", "cki")):
            return family[:-1] + "a"
        if not female and family.endswith(("ska", "cka")):
            return family[:-1] + "i"
    return family
