<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>ActionsView</name>
    <message numerus="yes">
        <source>%n actions</source>
        <translation>
            <numerusform>%n action</numerusform>
            <numerusform>%n actions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthBadge</name>
    <message numerus="yes">
        <source>%n health findings</source>
        <translation>
            <numerusform>%n health finding</numerusform>
            <numerusform>%n health findings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message numerus="yes">
        <source>%n orders</source>
        <translation>
            <numerusform>%n order</numerusform>
            <numerusform>%n orders</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>%n new payments</source>
        <translation>
            <numerusform>%n new payment</numerusform>
            <numerusform>%n new payments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{codes} and %n more</source>
        <translation>
            <numerusform>{codes} and %n more</numerusform>
            <numerusform>{codes} and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No live connection for %n minute(s) ({state}). New payments may show up late.</source>
        <translation>
            <numerusform>No live connection for %n minute ({state}). New payments may show up late.</numerusform>
            <numerusform>No live connection for %n minutes ({state}). New payments may show up late.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>%n unread payment(s)</source>
        <translation>
            <numerusform>%n unread payment</numerusform>
            <numerusform>%n unread payments</numerusform>
        </translation>
    </message>
</context>
</TS>
