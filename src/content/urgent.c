/* urgent.c: the urgent-help routes shown on /urgent-help and in every urgent
 * outcome. Sources (reference clinical.md section 10):
 *  999/A&E: cwp.nhs.uk/getting-help/need-urgent-help; lpft.nhs.uk/contact-us/need-help-now
 *  NHS 111 mental health option: healthwatchwestsussex.co.uk (2024-08-28); lpft.nhs.uk
 *  Samaritans 116 123, jo@samaritans.org: samaritans.org/how-we-can-help/contact-samaritan/
 *  Shout 85258: cwp.nhs.uk/getting-help/need-urgent-help */
#include "urgent.h"

const struct urgent_route urgent_routes[] = {
    {"999 or A&E", "Call 999 or go to A&E now", "tel:999",
     "if your life or someone else's life is at risk now, or someone has harmed themselves",
     "Free, 24 hours a day. If you cannot speak, stay on the line and follow the instructions."},
    {"NHS 111", "Call 111 and choose the mental health option", "tel:111",
     "if you need help urgently for your mental health but it is not an emergency",
     "Free, 24 hours a day, 7 days a week, for people of all ages. You can call for someone else. "
     "Interpreters, British Sign Language and 111 online are available."},
    {"Samaritans", "Call Samaritans on 116 123", "tel:116123",
     "if you want to talk to someone about how you are feeling, any time",
     "Free, 24 hours a day, 365 days a year, and it will not show on your phone bill. "
     "You can also email jo@samaritans.org."},
    {"Shout", "Text SHOUT to 85258", "sms:85258?body=SHOUT",
     "if you would rather text than talk",
     "Free, confidential and open 24 hours a day, 7 days a week."},
    {"Your GP", "Ask your GP surgery for an urgent appointment today", NULL,
     "if you are struggling and need to see someone soon",
     "Tell the receptionist it is about your mental health and that it is urgent. Your midwife "
     "or health visitor can also help you get seen."},
};
const size_t urgent_routes_count = sizeof urgent_routes / sizeof urgent_routes[0];
